#!/usr/bin/env bash
# Install Kennisbank in .venv, index the bundled corpus and serve the website on http://127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/debian-packages.sh
install_missing "${READER_PACKAGES[@]}"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/kennisbank index
exec .venv/bin/kennisbank serve "$@"
