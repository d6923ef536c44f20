"""How file names (and reasons that quote them) are shown on one line and stored.

`printable` escapes control characters (`\\n`, `\\r`, `\\x1b`, ...) and bytes that are not
UTF-8 (`\\xff`), so a file name holding a newline or a terminal escape can neither break
a one-line message nor drive the terminal.  Imports nothing heavy: the CLI's log
formatter uses it too.
"""

from __future__ import annotations

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` safe for one terminal line: control characters and undecodable bytes escaped."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def storable(text: str) -> str:
    """`text` as it is when it is valid Unicode, else escaped (a database stores only UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return printable(text)
    return text
