"""One writer per project: add-things and cleanup hold an exclusive lock on `.zaws/lock`.

The lock is an advisory `flock`, released by the kernel when the process dies, so a crashed run
never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zaws.errors import Busy


@contextmanager
def project_lock(state_dir: Path, action: str) -> Iterator[None]:
    state_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(state_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(
                f"Another zaws process is working on {state_dir.parent}",
                f"wait for it to finish, then run {action} again",
            ) from None
        yield
    finally:
        os.close(fd)
