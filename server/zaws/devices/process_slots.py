"""How many simulated devices of this process do one costly thing at once: connect, download.

A thousand devices started together, or all told by one job to download their firmware, would
otherwise starve the emulator of CPU (it shares the machine) until their handshakes time out:
on real AWS the other side scales, here it does not. A device waits for a slot as long as its
stop is not set, and the timeouts of what it then does start only once it holds one.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from zaws.devices.stopping import DeviceStopped

POLL_S = 0.5  # how often a device waiting for a slot looks at its stop


class ProcessSlots:
    def __init__(self, count: int) -> None:
        self.count = count
        self._free = threading.BoundedSemaphore(count)

    @contextlib.contextmanager
    def held(self, stop: threading.Event | None) -> Iterator[None]:
        """One slot, waited for until `stop` is set (then DeviceStopped)."""
        while not self._free.acquire(timeout=POLL_S):
            if stop is not None and stop.is_set():
                raise DeviceStopped()
        try:
            yield
        finally:
            self._free.release()


CONNECTING = ProcessSlots(16)  # TCP, TLS, CONNECT, CONNACK
DOWNLOADING = ProcessSlots(16)  # a FOTA job's firmware over HTTPS
