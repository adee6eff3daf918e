"""The notifications a `Background` sends, collected from its threads for in-process tests.

`Collected` is the `notify` a server would give; `wait_for` returns the first notification of a
method (received already or to come) that a test wants, every wait a bounded queue read.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import Any

from tests.protocol.contract import assert_notification_matches

WAIT_S = 30.0


class Collected:
    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.seen: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, method: str, params: dict[str, Any]) -> None:
        self._queue.put((method, params))

    def wait_for(
        self,
        method: str,
        wanted: Callable[[dict[str, Any]], bool] = lambda _: True,
        timeout: float = WAIT_S,
        after: int = 0,
    ) -> dict[str, Any]:
        """`after`: only those after the first `after` seen (`len(drain())` taken earlier)."""
        for name, params in self.seen[after:]:
            if name == method and wanted(params):
                return params
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                name, params = self._queue.get(timeout=left)
            except queue.Empty:
                break
            assert_notification_matches(name, params)  # every one is what the contract says
            self.seen.append((name, params))
            if name == method and wanted(params):
                return params
        shown = "\n".join(f"{name} {params}" for name, params in self.seen[-20:])
        raise AssertionError(f"no such {method} in {timeout:g} s; the last ones:\n{shown}")

    def drain(self) -> list[tuple[str, dict[str, Any]]]:
        """Everything sent so far (to check what did not come)."""
        while True:
            try:
                name, params = self._queue.get_nowait()
            except queue.Empty:
                return self.seen
            assert_notification_matches(name, params)
            self.seen.append((name, params))
