#!/usr/bin/env bash
# Sets everything up on a fresh machine and runs every check and test:
# ruff (lint + format), mypy, pytest (unit, emulator integration, language server, crash and
# fault runs), then the VS Code client's own checks and its end-to-end test in code-server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
py=.venv/bin/python

echo "== ruff"
.venv/bin/ruff check server tests bench
.venv/bin/ruff format --check server tests bench
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
"$py" -m pytest -n "${ZAWS_TEST_WORKERS:-2}" -p no:cacheprovider "$@"
if [ -x vscode-client/scripts/test.sh ] && [ -z "${ZAWS_SKIP_VSCODE:-}" ]; then
    echo "== vscode-client"
    ZAWS_PYTHON="$root/$py" bash vscode-client/scripts/test.sh
fi
