"""How long operations report progress and learn they should stop.

An operation takes an optional `ProgressCallback` and an optional `Cancellation`; the CLI maps them
to a progress bar and Ctrl-C, the language server to work-done progress and `$/cancelRequest`.
Callbacks may be called from worker threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressReport:
    done: int
    total: int
    message: str


ProgressCallback = Callable[[ProgressReport], None]


def no_progress(_: ProgressReport) -> None:
    """The callback used when the caller does not want progress."""


class Cancellation:
    """A thread-safe flag: set once by the front end, polled by the operation between AWS calls."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def is_cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Wait up to `seconds` (an operation polling AWS between calls); True once cancelled."""
        return self._event.wait(seconds)
