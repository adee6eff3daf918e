"""The simulated devices a server runs between requests: started, listed and stopped by name.

`zaws device run` holds its devices for the length of one command; a server's client starts them
with one request and stops them with another, so they live here, one per (project, thing). Each
device runs in a thread of its own (the devices engine, `zaws.devices`), so one can be stopped
without the rest of its session; every event becomes a `zaws/deviceEvent` through `notify`. A
device that ends by itself (an error event) stays listed, not running, until it is stopped or
started again. `stop_all` is what a server calls when it exits.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zaws.aws.settings import AwsSettings
from zaws.devices.events import DeviceEvent
from zaws.errors import InvalidInput, NotFound
from zaws.service.notification_params import DEVICE_EVENT, Notify, device_event_params, iso_time
from zaws.service.uris import uri_from_path

if TYPE_CHECKING:
    from zaws.devices.device import SimulatedDevice
    from zaws.devices.fota_runner import FotaResult

JOIN_S = 10.0  # a device waiting for a Jobs answer notices the stop after that wait


@dataclass
class SessionDevice:
    """One running (or ended) simulated device, and the last thing it reported."""

    session_id: str
    project: Path
    project_uri: str
    thing: str
    every: float
    fota_result: str
    started_at: float
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    last: DeviceEvent | None = None

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def to_protocol(self) -> dict[str, Any]:
        last = self.last
        return {
            "sessionId": self.session_id,
            "projectUri": self.project_uri,
            "thing": self.thing,
            "running": self.running,
            "every": self.every,
            "fotaResult": self.fota_result,
            "startedAt": iso_time(self.started_at),
            "lastEvent": last.kind if last else None,
            "lastText": last.text if last else None,
            "lastTime": iso_time(last.at) if last else None,
        }


class DeviceSessions:
    def __init__(self, notify: Notify) -> None:
        self._notify = notify
        self._lock = threading.Lock()
        self._devices: dict[tuple[Path, str], SessionDevice] = {}

    def start(
        self,
        project: Path,
        *,
        aws: AwsSettings,
        things: Sequence[str] = (),
        all_things: bool = False,
        every: float | None = None,
        fota_result: FotaResult = "succeed",
    ) -> dict[str, Any]:
        """Resolve every thing's connection, then start a thread per device; answers at once."""
        from zaws.devices.topics import TEMPLATE_PERIOD_S
        from zaws.operations.device_run import simulated_devices

        root = project.resolve()
        session_id = f"devices-{uuid.uuid4().hex[:12]}"
        period = every or TEMPLATE_PERIOD_S
        entries: dict[str, SessionDevice] = {}

        def emit(event: DeviceEvent) -> None:
            entry = entries.get(event.thing)
            if entry is not None:
                self._emitted(entry, event)

        devices = simulated_devices(
            root,
            aws=aws,
            emit=emit,
            things=things,
            all_things=all_things,
            every=period,
            fota_result=fota_result,
        )
        uri = uri_from_path(root)
        now = time.time()
        for device in devices:
            entries[device.thing] = SessionDevice(
                session_id, root, uri, device.thing, period, fota_result, now
            )
        with self._lock:
            busy = [name for name in entries if self._running(root, name)]
            if busy:
                raise InvalidInput(
                    f"Already running as simulated devices in this server: {', '.join(busy)}",
                    "stop them first (zaws/stopDevices), or start the other things only",
                )
            for name, entry in entries.items():
                self._devices[(root, name)] = entry
        for device in devices:
            self._launch(entries[device.thing], device)
        return {
            "sessionId": session_id,
            "projectUri": uri,
            "things": list(entries),
            "every": period,
            "fotaResult": fota_result,
        }

    def stop(
        self,
        *,
        session_id: str | None = None,
        project: Path | None = None,
        things: Sequence[str] | None = None,
        everything: bool = False,
    ) -> dict[str, Any]:
        """Stop the devices named, wait for each to disconnect, and forget them."""
        with self._lock:
            chosen = self._choose(session_id, project, things, everything)
            for entry in chosen:
                self._devices.pop((entry.project, entry.thing), None)
        _stop_and_join(chosen, JOIN_S)
        return {"stopped": [entry.to_protocol() for entry in chosen]}

    def listing(self, project: Path | None = None) -> dict[str, Any]:
        root = project.resolve() if project is not None else None
        with self._lock:
            entries = [e for e in self._devices.values() if root is None or e.project == root]
        return {"devices": [entry.to_protocol() for entry in entries]}

    def running(self, project: Path, thing: str) -> bool:
        with self._lock:
            return self._running(project.resolve(), thing)

    def stop_all(self, timeout: float = 5.0) -> None:
        """Every device disconnects (each waits at most `timeout`, all at once); for exit."""
        with self._lock:
            chosen = list(self._devices.values())
            self._devices.clear()
        _stop_and_join(chosen, timeout)

    # -- inside ---------------------------------------------------------------------------
    def _running(self, root: Path, thing: str) -> bool:
        entry = self._devices.get((root, thing))
        return entry is not None and (entry.thread is None or entry.running)

    def _launch(self, entry: SessionDevice, device: SimulatedDevice) -> None:
        entry.thread = threading.Thread(
            target=device.run, args=(entry.stop,), name=f"device {entry.thing}", daemon=True
        )
        entry.thread.start()

    def _emitted(self, entry: SessionDevice, event: DeviceEvent) -> None:
        entry.last = event
        self._notify(DEVICE_EVENT, device_event_params(entry.session_id, entry.project_uri, event))

    def _choose(
        self,
        session_id: str | None,
        project: Path | None,
        things: Sequence[str] | None,
        everything: bool,
    ) -> list[SessionDevice]:
        devices = list(self._devices.values())
        if everything:
            return devices
        if session_id is not None:
            chosen = [e for e in devices if e.session_id == session_id]
            if not chosen:
                raise NotFound(
                    f"No simulated devices run in session {session_id}",
                    "zaws/listDevices lists the sessions this server runs",
                )
            return chosen
        assert project is not None
        root = project.resolve()
        of_project = {e.thing: e for e in devices if e.project == root}
        if things is None:
            return list(of_project.values())
        unknown = [name for name in things if name not in of_project]
        if unknown:
            raise NotFound(
                f"Not running as simulated devices of {root}: {', '.join(unknown)}",
                "zaws/listDevices lists the devices this server runs",
            )
        return [of_project[name] for name in dict.fromkeys(things)]


def _stop_and_join(entries: Sequence[SessionDevice], timeout: float) -> None:
    for entry in entries:
        entry.stop.set()
    deadline = time.monotonic() + timeout
    for entry in entries:
        if entry.thread is not None:
            entry.thread.join(max(deadline - time.monotonic(), 0.0))
