"""Progress of long commands in a terminal, and Ctrl-C as a request to stop cleanly.

On a terminal: a bar with count, rate and time left. Otherwise (CI logs, pipes): a plain line every
10 % or so. The first Ctrl-C asks the operation to stop after the things in flight (the state left
is resumable); a second one stops at once.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import click

from zaws.operations.progress import Cancellation, ProgressReport


class ProgressDisplay:
    def __init__(self, label: str, *, enabled: bool) -> None:
        self.label = label
        self.enabled = enabled
        self.interactive = enabled and sys.stderr.isatty()
        self._lock = threading.Lock()
        self._bar: Any = None
        self._task: Any = None
        self._last_plain = -1
        self._started = time.monotonic()
        self._first_done: int | None = None  # things done before this run (a resumed batch)

    def __enter__(self) -> ProgressDisplay:
        if self.interactive:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                TextColumn("[dim]{task.fields[last]}"),
                transient=False,
                console=_stderr_console(),
            )
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=None, rate="", last="")
        return self

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, report: ProgressReport) -> None:
        if not self.enabled:
            return
        with self._lock:
            elapsed = max(time.monotonic() - self._started, 1e-6)
            if self._first_done is None:
                self._first_done = report.done
            done_now = report.done - self._first_done
            if self._bar is not None:
                rate = f"{done_now / elapsed:.1f}/s" if done_now else ""
                self._bar.update(
                    self._task,
                    completed=report.done,
                    total=report.total,
                    rate=rate,
                    last=report.message,
                )
                return
            step = max(report.total // 10, 1)
            bucket = report.done // step
            if report.done in (0, report.total) or bucket != self._last_plain:
                self._last_plain = bucket
                click.echo(f"{self.label}: {report.done}/{report.total} {report.message}", err=True)


@contextmanager
def stop_on_ctrl_c(cancel: Cancellation) -> Iterator[None]:
    """First Ctrl-C: cancel cleanly. Second: the usual KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum: int, frame: FrameType | None) -> None:
        if cancel.is_cancelled:
            raise KeyboardInterrupt
        cancel.cancel()
        click.echo(
            "\nzaws: stopping after the things in flight (Ctrl-C again to stop at once)", err=True
        )

    signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)
