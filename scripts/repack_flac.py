"""Re-encode the corpus FLAC files losslessly with the smallest settings (same samples).

python scripts/repack_flac.py corpus/*/*.flac
"""

from __future__ import annotations

import sys
from pathlib import Path

from corpus_audio import repack_flac


def main(argv: list[str]) -> int:
    before = after = 0
    for name in argv:
        path = Path(name)
        before += path.stat().st_size
        repack_flac(path)
        after += path.stat().st_size
    print(f"{len(argv)} files: {before:,} -> {after:,} bytes, same samples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
