#!/usr/bin/env bash
# Set up a fresh machine and score the sample calls (the README's main command).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/callqa score samples/ --db samples.db --manifest samples/manifest.csv --workers 2 "$@"
