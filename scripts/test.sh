#!/usr/bin/env bash
# Set up a fresh machine and run the whole test suite (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
# Chromium for the browser tests (strict in CI, where they must run; else they skip).
bash scripts/install-browser.sh ${CI:+--strict}
.venv/bin/python -m pytest "$@"
