#!/usr/bin/env bash
# Everything the VS Code client's tests need, then the tests: on a fresh Debian machine (as root)
# it installs the apt packages, the npm packages and code-server; a second run reuses them.
# Then: build the .vsix, lint, type-check, unit tests (with the contract check against
# protocol/openrpc.json), and the end-to-end scenario in code-server + Chromium against the real
# server on the emulator; then e2e/install.ts: the .vsix in a code-server whose python3 has no zaws.
# Screenshots and logs: vscode-client/test-artifacts/.
#
# Env: ZAWS_PYTHON  interpreter with zaws installed (default: the repo's .venv, else python3)
#      ZAWS_CACHE   where code-server is kept (default: ~/.cache/zaws)
#      ZAWS_SKIP_E2E=1  stop after the unit tests
set -euo pipefail
client=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$client/.." && pwd)
cd "$client"
started=$SECONDS
step() { printf '\n== %s (%ss)\n' "$1" "$((SECONDS - started))"; }

step "system packages"
missing=()
for pkg in libkrb5-dev ripgrep chromium; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing apt packages: ${missing[*]} (run as root, or install them)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
    || { echo "Node 20 or newer is needed (found $(node --version))" >&2; exit 1; }

step "npm packages"
stamp="node_modules/.zaws-$(sha256sum package-lock.json | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    npm ci --no-fund --no-audit --loglevel=error
    touch "$stamp"
fi

step "code-server 4.100.3"
cache=${ZAWS_CACHE:-$HOME/.cache/zaws}
code_server_dir="$cache/code-server-4.100.3"
"$client/scripts/install-code-server.sh" "$code_server_dir"

step "build the .vsix"
npm run -s package

step "lint"
npm run -s lint

step "type-check"
npm run -s typecheck

step "unit tests"
npm run -s test:unit

if [ "${ZAWS_SKIP_E2E:-}" = 1 ]; then
    echo "ZAWS_SKIP_E2E=1: end-to-end test skipped"
    exit 0
fi

step "end to end (code-server + Chromium)"
python=${ZAWS_PYTHON:-}
if [ -z "$python" ]; then
    if [ -x "$repo/.venv/bin/python" ]; then python="$repo/.venv/bin/python"; else python=python3; fi
fi
"$python" -c 'import zaws' 2>/dev/null \
    || { echo "ZAWS_PYTHON=$python cannot import zaws (run scripts/setup.sh first)" >&2; exit 1; }
node esbuild.mjs --e2e
CODE_SERVER="$code_server_dir/node_modules/.bin/code-server" \
ZAWS_PYTHON="$python" \
ZAWS_VSIX="$client/dist/zaws-vscode.vsix" \
ZAWS_ARTIFACTS="$client/test-artifacts" \
    node out/e2e/run.js

step "end to end: the .vsix installed where python3 has no zaws (its own backend, the walkthrough)"
# First use pip-installs zaws's dependencies from PyPI into the extension's own environment.
CODE_SERVER="$code_server_dir/node_modules/.bin/code-server" \
ZAWS_VSIX="$client/dist/zaws-vscode.vsix" \
ZAWS_ARTIFACTS="$client/test-artifacts" \
    node out/e2e/install.js

step "done"
