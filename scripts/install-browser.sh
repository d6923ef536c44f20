#!/usr/bin/env bash
# Install what the browser tests (tests/web/test_browser.py) need: Debian's Chromium at
# /usr/bin/chromium and a CJK font (so Chinese text renders in screenshots).
# Playwright for Python comes with the `test` extra (pip install -e ".[test]"); its own
# browser download (`playwright install`) is NOT used.
# Does nothing when both are there.  Without root it says what to run and exits 0 (the
# browser tests then skip), or 1 with --strict (for CI, where they must run).
set -euo pipefail
strict=0
[ "${1:-}" = "--strict" ] && strict=1

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; then
    need+=(fonts-noto-cjk)
fi
if [ ${#need[@]} -eq 0 ]; then
    echo "install-browser: chromium and CJK fonts already installed"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-browser: missing ${need[*]} - run as root: sudo bash $0" >&2
    echo "install-browser: (the browser tests are skipped until then)" >&2
    exit "$strict"
fi
if ! command -v apt-get >/dev/null; then
    echo "install-browser: no apt-get here - install ${need[*]} with your package manager" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}"
/usr/bin/chromium --version
