"""Both servers start without the heavy or unrelated libraries: boto3 (lazily, when a method
needs AWS), click and rich (the CLI's), cryptography (when a certificate is checked)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("boto3", "botocore", "click", "rich", "cryptography", "moto", "jsonschema")


@pytest.mark.parametrize(
    ("entry", "allowed"),
    [("zaws.lsp.server", ()), ("zaws.rpc.stdio", ("jsonschema",)), ("zaws.__main__", ())],
)
def test_no_heavy_imports_at_start(entry: str, allowed: tuple[str, ...]) -> None:
    code = f"import sys, {entry}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert set(loaded) <= set(allowed)
