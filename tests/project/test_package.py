"""`zaws.project` imports none of its modules: a thread importing `thing_project` while another
imports the package once met a half-initialised module (ImportError in the language server)."""

from __future__ import annotations

import subprocess
import sys


def test_the_package_imports_none_of_its_modules() -> None:
    probe = (
        "import sys, zaws.project; print(sorted(m for m in sys.modules if m.startswith('zaws.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "['zaws.project']"
