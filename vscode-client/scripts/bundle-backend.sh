#!/usr/bin/env bash
# Puts the zaws wheel the extension brings into backend/ (packed into the .vsix by vsce; see
# .vscodeignore). The wheel is pure Python and platform-neutral; its dependencies (cryptography is
# compiled) are installed from the package index into the extension's own environment on first use.
# Env: ZAWS_PYTHON  a Python with the `build` package (default: the repository's .venv)
set -euo pipefail
client=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$client/.." && pwd)
python=${ZAWS_PYTHON:-$repo/.venv/bin/python}
"$python" -m build --version >/dev/null 2>&1 \
    || { echo "$python has no 'build' package (run scripts/setup.sh first)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# sdist first, then the wheel from it: what a release makes, and no build/ left in the checkout.
"$python" -m build --outdir "$out" "$repo" >"$out/build.log" 2>&1 \
    || { cat "$out/build.log" >&2; exit 1; }
rm -rf "$client/backend"
mkdir -p "$client/backend"
cp "$out"/zaws-*-py3-none-any.whl "$client/backend/"
ls "$client/backend"
