#!/usr/bin/env bash
# Creates .venv with the pinned dependencies and zaws installed in editable mode.
# Idempotent: a second run with an unchanged requirements.lock only checks the install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "zaws needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
stamp=.venv/.zaws-lock-$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
    pip_install() {
        # This machine's pip config lists local mirrors that may be absent: hide those warnings.
        .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@" \
            2> >(grep -v "is neither a file nor a directory" >&2)
    }
    pip_install --upgrade pip
    pip_install -r requirements.lock
    pip_install --no-deps -e .
    rm -f .venv/.zaws-lock-*
    touch "$stamp"
fi
# Bytecode for zaws itself (pip compiles the dependencies; an editable install is left as source,
# and PYTHONDONTWRITEBYTECODE would make every start compile it again: ~50 ms of `zaws serve`).
.venv/bin/python -m compileall -q server/zaws >/dev/null
