"""Crash-safe file writes: a temporary file in the same folder, fsync, then rename.

A reader (or a crash) sees either the old file or the new one, never half of one. Private keys
are created with mode 0600 from the first byte (mkstemp's mode, never a chmod afterwards), so they
are never readable by others, not even for a moment.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

PUBLIC_MODE = 0o644
PRIVATE_MODE = 0o600


def write_bytes(path: Path, data: bytes, *, mode: int = PUBLIC_MODE) -> None:
    """Atomically replace `path` with `data`; the file has `mode` from its creation on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    # mkstemp creates the file 0600; widen only public files, never narrow after writing.
    try:
        if mode != PRIVATE_MODE:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def write_text(path: Path, text: str, *, mode: int = PUBLIC_MODE) -> None:
    write_bytes(path, text.encode("utf-8"), mode=mode)


def write_private(path: Path, text: str) -> None:
    """A private key: mode 0600 from creation, atomic."""
    write_bytes(path, text.encode("utf-8"), mode=PRIVATE_MODE)


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, indent=4) + "\n")


def copy_file(source: Path, target: Path, *, mode: int = PUBLIC_MODE) -> None:
    write_bytes(target, source.read_bytes(), mode=mode)


def replace_dir(staging: Path, target: Path) -> None:
    """Move a fully written folder into place; an existing target is replaced."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        trash = target.with_name(f".{target.name}.old")
        shutil.rmtree(trash, ignore_errors=True)
        os.replace(target, trash)
        os.replace(staging, target)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(staging, target)
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
