"""Notices when a project changes on disk, whoever changed it (a zaws/* request, the CLI in a
terminal, a text editor).

A light polling thread: per project a few `stat` calls (thing.conf.json, .zawsconf, the resources
folder, whose mtime changes whenever a thing's folder is added, replaced or removed, and the
top-level certificate and key). It needs nothing from the client, works the same on every
platform, and costs microseconds per project per tick.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

# As zaws.project.layout names them (not imported: the server starts without the project package).
WATCHED = (
    "thing.conf.json",
    ".zawsconf",
    ".aws_things_resources",
    "certificate.pem.crt",
    "private.pem.key",
)
Signature = tuple[tuple[int, int] | None, ...]


def signature(root: Path) -> Signature:
    stamps: list[tuple[int, int] | None] = []
    for name in WATCHED:
        try:
            stat = (root / name).stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


class ProjectWatcher:
    """Calls `on_change(root)` from its own thread when a watched project's files change."""

    def __init__(self, on_change: Callable[[Path], None], interval: float = 0.5) -> None:
        self.on_change = on_change
        self.interval = interval
        self._lock = threading.Lock()
        self._projects: dict[Path, Signature] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, root: Path) -> None:
        with self._lock:
            if root not in self._projects:
                self._projects[root] = signature(root)

    def watched(self) -> list[Path]:
        with self._lock:
            return list(self._projects)

    def acknowledge(self, root: Path) -> None:
        """The caller already announced the current state of `root`: do not report it again."""
        with self._lock:
            self._projects[root] = signature(root)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="zaws-watcher", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def poll(self) -> list[Path]:
        """One tick: the projects whose signature changed since the last tick."""
        changed = []
        with self._lock:
            roots = list(self._projects.items())
        for root, before in roots:
            now = signature(root)
            if now != before:
                with self._lock:
                    self._projects[root] = now
                changed.append(root)
        return changed

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for root in self.poll():
                try:
                    self.on_change(root)
                except Exception:
                    log.exception("failed to announce a change of %s", root)
