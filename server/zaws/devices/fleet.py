"""Many simulated devices in one process: a thread each, events to one callback, one stop.

`Fleet.run` starts every device, returns when `stop` is set (Ctrl-C, --for, the caller) or every
device ended, and then closes each connection cleanly (DISCONNECT): each device sees the stop
within about a second whatever it does (`devices.stopping`); all are awaited within one bound.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from zaws.devices.device import SimulatedDevice
from zaws.devices.events import DeviceEvent
from zaws.devices.link import Emit
from zaws.devices.stopping import STOPS_WITHIN_S

POLL_S = 0.2


class Fleet:
    def __init__(self, emit: Emit) -> None:
        self._lock = threading.Lock()
        self._emit = emit

    def emit(self, event: DeviceEvent) -> None:
        with self._lock:  # one event at a time, whichever device's thread it comes from
            self._emit(event)

    def run(
        self,
        devices: Sequence[SimulatedDevice],
        stop: threading.Event,
        duration: float | None = None,
    ) -> str:
        """Run until stopped; "time" when `duration` ran out, "stopped" when `stop` was set."""
        threads = [
            threading.Thread(target=d.run, args=(stop,), name=f"device {d.thing}", daemon=True)
            for d in devices
        ]
        for thread in threads:
            thread.start()
        deadline = None if duration is None else time.monotonic() + duration
        ended = "ended"
        while any(thread.is_alive() for thread in threads):
            if stop.wait(POLL_S):
                ended = "stopped"
                break
            if deadline is not None and time.monotonic() >= deadline:
                ended = "time"
                break
        stop.set()
        deadline = time.monotonic() + STOPS_WITHIN_S
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 0.0))
        return ended
