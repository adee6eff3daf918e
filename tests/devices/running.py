"""`run_devices` in a thread of its own for tests: its events in a queue, waits bounded."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zaws.aws.settings import AwsSettings
from zaws.devices.events import DeviceEvent
from zaws.operations.device_run import DevicesRan, run_devices

WAIT_S = 30.0


class RunningDevices:
    def __init__(self, project: Path, aws: AwsSettings, **options: Any) -> None:
        self.events: queue.Queue[DeviceEvent] = queue.Queue()
        self.seen: list[DeviceEvent] = []
        self.stop = threading.Event()
        self.result: DevicesRan | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(project, aws, options), daemon=True)
        self._thread.start()

    def _run(self, project: Path, aws: AwsSettings, options: Any) -> None:
        try:
            self.result = run_devices(
                project, aws=aws, on_event=self.events.put, stop=self.stop, **options
            )
        except BaseException as err:
            self.error = err

    def wait_for(self, wanted: Callable[[DeviceEvent], bool], what: str) -> DeviceEvent:
        """The first event (seen or to come) that `wanted` accepts; fails after WAIT_S."""
        for event in self.seen:
            if wanted(event):
                return event
        deadline = time.monotonic() + WAIT_S
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self.error is not None:
                    raise AssertionError(f"run_devices failed: {self.error!r}") from self.error
                continue
            self.seen.append(event)
            if wanted(event):
                return event
        lines = "\n".join(e.line() for e in self.seen)
        raise AssertionError(f"no event {what} in {WAIT_S} s; events:\n{lines}")

    def close(self) -> DevicesRan:
        self.stop.set()
        self._thread.join(WAIT_S)
        assert not self._thread.is_alive(), "the devices did not stop"
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result

    def __enter__(self) -> RunningDevices:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
