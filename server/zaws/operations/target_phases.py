"""Running one step on many things at once, with progress, cancellation and one error for all.

Cleanup and remove-thing work in phases (detach everything, then delete): each phase runs an
action on every target on a pool of workers, counts each finished target in the progress, stops
starting new ones on Ctrl-C or at the first failure, and reports that failure with the hint that
a rerun finishes the job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from zaws.errors import ZawsError
from zaws.operations.progress import Cancellation, ProgressCallback, ProgressReport

T = TypeVar("T")


class Named(Protocol):
    thing_name: str


N = TypeVar("N", bound=Named)


class StepCounter:
    """Progress over all the phases of one run."""

    def __init__(self, report: ProgressCallback, total: int) -> None:
        self._report = report
        self._total = total
        self._done = 0
        self._lock = threading.Lock()

    def step(self, message: str) -> None:
        with self._lock:
            self._done += 1
            done = self._done
        self._report(ProgressReport(done, self._total, message))


def run_phase(
    targets: Sequence[N],
    action: Callable[[N], T],
    *,
    verb: str,
    workers: int,
    counter: StepCounter,
    cancel: Cancellation,
    rerun: str,
) -> list[tuple[str, T]]:
    """(thing name, outcome) of each target the action finished, in the targets' order."""
    failures: list[ZawsError] = []

    def run(target: N) -> tuple[str, T] | None:
        if cancel.is_cancelled or failures:
            return None
        try:
            outcome = action(target)
        except ZawsError as err:
            failures.append(err)
            return None
        counter.step(f"{verb} {target.thing_name}")
        return target.thing_name, outcome

    with ThreadPoolExecutor(max_workers=workers) as pool:
        finished = [pair for pair in pool.map(run, targets) if pair]
    if failures:
        first = failures[0]
        raise type(first)(
            f"Stopped: {first.message}",
            f"the records of what still exists are kept; {rerun} again to finish",
        )
    return finished
