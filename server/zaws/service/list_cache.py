"""zaws/listThings answered from memory while the project's files are unchanged.

Listing reads every thing's record (1000 files for 1000 things) and views refresh often; a server
keeps the last answer per project with a signature of every file the listing reads (the
configuration, `.zawsconf`, the pending add-things plan and each record's stat). Checking the
signature costs one scandir and one stat per thing, a fraction of reading and parsing the records.
Remote status is never cached: it is what AWS says now.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

Signature = tuple[object, ...]

_CONFIG_FILES = ("thing.conf.json", ".zawsconf", ".zaws/add-things/plan.json")
_RESOURCES = ".aws_things_resources"


def _stamp(path: str) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def project_signature(root: Path) -> Signature:
    base = str(root)
    stamps: list[object] = [_stamp(os.path.join(base, name)) for name in _CONFIG_FILES]
    resources = os.path.join(base, _RESOURCES)
    try:
        entries = sorted(os.scandir(resources), key=lambda entry: entry.name)
    except OSError:
        return tuple(stamps)
    for entry in entries:
        # The folder's own stamp changes when a key or certificate inside is removed.
        record = _stamp(os.path.join(entry.path, "thing.conf.json"))
        stamps.append((entry.name, _stamp(entry.path), record))
    return tuple(stamps)


class ListCache:
    """The last listing per project root, valid while the root's signature is unchanged."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Path, tuple[Signature, dict[str, Any]]] = {}

    def get(self, root: Path, signature: Signature) -> dict[str, Any] | None:
        with self._lock:
            entry = self._entries.get(root)
        return entry[1] if entry is not None and entry[0] == signature else None

    def put(self, root: Path, signature: Signature, result: dict[str, Any]) -> None:
        with self._lock:
            self._entries[root] = (signature, result)
