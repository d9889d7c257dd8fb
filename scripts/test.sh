#!/usr/bin/env bash
# Install Kennisbank with its test tools in .venv and run the whole test suite (lint included).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Known vulnerabilities in the installed dependencies fail the run; packages that could not be
# checked (no network, unknown to the service) are listed as "not audited" and do not.
.venv/bin/python scripts/audit.py

# The browser tests drive Debian's Chromium and check pages with axe-core (package.json); they fail without them.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d node_modules/axe-core ] || command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    else
        echo "test.sh: not root, so not installing ${missing[*]}: run 'sudo apt-get install ${missing[*]}'," \
            "or the browser tests fail" >&2
    fi
fi
if [ ! -d node_modules/axe-core ] && command -v npm >/dev/null; then
    npm ci --no-audit --no-fund
fi
exec .venv/bin/python -m pytest "$@"
