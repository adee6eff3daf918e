"""The attrs code cache: code compiled once is reused by the next process, and a bad cache file
only means compiling as usual."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# A child process: install the cache, import lsprotocol, report what was compiled anew, save.
CHILD = """
from zaws.lsp import attrs_code_cache as cache
cache.install()
import lsprotocol.types
print(len(cache._new), len(cache._cache))
cache.save()
"""


def run_child(home: Path) -> tuple[int, int]:
    env = {**os.environ, "ZAWS_HOME": str(home)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    ).stdout
    compiled, cached = out.split()
    return int(compiled), int(cached)


def cache_files(home: Path) -> list[Path]:
    return sorted((home / "cache").glob("attrs-code-*.marshal"))


def test_a_second_process_compiles_nothing_the_first_one_did(tmp_path: Path) -> None:
    compiled, cached = run_child(tmp_path)
    assert compiled > 500 and cached == 0  # lsprotocol's ~570 classes
    [cache_file] = cache_files(tmp_path)
    assert cache_file.stat().st_mode & 0o777 == 0o600
    compiled, cached = run_child(tmp_path)
    assert compiled == 0 and cached > 500


@pytest.mark.parametrize("content", [b"", b"not marshal at all", b"\xff" * 64])
def test_a_corrupt_cache_file_means_compiling_as_usual(tmp_path: Path, content: bytes) -> None:
    run_child(tmp_path)
    [cache_file] = cache_files(tmp_path)
    cache_file.write_bytes(content)
    compiled, cached = run_child(tmp_path)
    assert compiled > 500 and cached == 0
    assert cache_file.stat().st_size > 1000  # rewritten whole


def test_an_unwritable_cache_folder_is_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be")
    compiled, _ = run_child(tmp_path)
    assert compiled > 500
