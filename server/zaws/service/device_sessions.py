"""The simulated devices a server runs between requests: started, listed and stopped by name.

`zaws device run` holds its devices for the length of one command; a server's client starts them
with one request and stops them with another, so they live here, one per (project, thing). Each
device runs in a thread of its own (the devices engine, `zaws.devices`), so one can be stopped
without the rest of its session; every event becomes a `zaws/deviceEvent` through `notify`. A
device that ends by itself (an error event) stays listed, not running, until it is stopped or
started again; a device being stopped stays listed (running) until its thread has ended, so its
thing cannot start twice. `stop_all` is what a server calls when it exits: from then on nothing
starts (a start still resolving its things is refused), so no device outlives its server.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zaws.aws.settings import AwsSettings
from zaws.devices.events import DeviceEvent
from zaws.devices.stopping import STOPS_WITHIN_S
from zaws.errors import InvalidInput, NotFound, OperationCancelled
from zaws.service.notification_params import DEVICE_EVENT, Notify, device_event_params, iso_time
from zaws.service.uris import uri_from_path

if TYPE_CHECKING:
    from zaws.devices.device import SimulatedDevice
    from zaws.devices.fota_runner import FotaResult

MakeDevices = Callable[..., "list[SimulatedDevice]"]  # `device_run.simulated_devices`'s signature


def _simulated_devices(*args: Any, **kwargs: Any) -> list[SimulatedDevice]:
    from zaws.operations.device_run import simulated_devices

    return simulated_devices(*args, **kwargs)


def shutting_down(what: str) -> OperationCancelled:
    return OperationCancelled(
        f"The server is shutting down: {what}", "start the server again (reopen the window)"
    )


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
    def __init__(
        self,
        notify: Notify,
        make_devices: MakeDevices = _simulated_devices,
        stops_within: float = STOPS_WITHIN_S,
    ) -> None:
        self._notify = notify
        self._make_devices = make_devices  # tests pass one that lets them see the resolution
        self._stops_within = stops_within  # how long `stop` waits for a device's thread
        self._lock = threading.Lock()
        self._devices: dict[tuple[Path, str], SessionDevice] = {}
        self._closed = False  # stop_all ran: nothing starts any more

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

        with self._lock:
            self._refuse_if_closed()
        root = project.resolve()
        session_id = f"devices-{uuid.uuid4().hex[:12]}"
        period = every or TEMPLATE_PERIOD_S
        entries: dict[str, SessionDevice] = {}

        def emit(event: DeviceEvent) -> None:
            entry = entries.get(event.thing)
            if entry is not None:
                self._emitted(entry, event)

        devices = self._make_devices(
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
        with self._lock:  # stop_all sees every device this start launches, or refuses it
            self._refuse_if_closed()
            busy = [name for name in entries if self._running(root, name)]
            if busy:
                raise InvalidInput(
                    f"Already running as simulated devices in this server: {', '.join(busy)}",
                    "stop them first (zaws/stopDevices), or start the other things only",
                )
            for device in devices:
                entry = entries[device.thing]
                self._devices[(root, device.thing)] = entry
                self._launch(entry, device)
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
        """Stop the devices named, wait for each to disconnect, and forget those that ended."""
        with self._lock:
            chosen = self._choose(session_id, project, things, everything)
        _stop_and_join(chosen, self._stops_within)
        self._forget_ended(chosen)
        return {"stopped": [entry.to_protocol() for entry in chosen]}

    def listing(self, project: Path | None = None) -> dict[str, Any]:
        root = project.resolve() if project is not None else None
        with self._lock:
            entries = [e for e in self._devices.values() if root is None or e.project == root]
        return {"devices": [entry.to_protocol() for entry in entries]}

    def running(self, project: Path, thing: str) -> bool:
        with self._lock:
            return self._running(project.resolve(), thing)

    def stop_all(self, timeout: float = STOPS_WITHIN_S) -> None:
        """Every device disconnects (all at once, within `timeout`) and none starts after; for
        exit."""
        with self._lock:
            self._closed = True
            chosen = list(self._devices.values())
        _stop_and_join(chosen, timeout)
        self._forget_ended(chosen)

    # -- inside ---------------------------------------------------------------------------
    def _refuse_if_closed(self) -> None:
        if self._closed:
            raise shutting_down("no simulated device starts")

    def _forget_ended(self, entries: Sequence[SessionDevice]) -> None:
        with self._lock:
            for entry in entries:
                key = (entry.project, entry.thing)
                if not entry.running and self._devices.get(key) is entry:
                    del self._devices[key]

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
