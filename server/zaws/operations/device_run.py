"""`zaws device run`: a project's things as simulated devices, until stopped or time is up.

Steps: pick the things (--thing NAME..., --all, else the active thing); resolve each one's
endpoint and identity as `zaws mqtt --thing` does (`mqtt_connect.resolve_targets`: the emulator's
endpoint locally, thing.conf.json's with Amazon Root CA 1 on AWS); run them all in one process
(`devices.fleet`), each event handed to `on_event` as it happens. The servers build the same
devices with `simulated_devices` and run each in a thread of its own (`service.device_sessions`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zaws.aws.settings import AwsSettings
from zaws.devices.events import DeviceEvent
from zaws.devices.fota_runner import FotaResult
from zaws.devices.topics import TEMPLATE_PERIOD_S
from zaws.errors import InvalidInput, ProjectError

if TYPE_CHECKING:
    from zaws.devices.device import SimulatedDevice

FOTA_RESULTS: tuple[FotaResult, ...] = ("succeed", "fail-md5", "reject")


@dataclass(frozen=True)
class DevicesRan:
    things: list[str]
    stopped_by: str  # "time", "stopped" (Ctrl-C or the caller), "ended" (every device ended)
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "seconds": round(self.seconds, 3)}


def pick_things(project: Path, things: Sequence[str], all_things: bool) -> list[str]:
    from zaws.project.thing_project import ThingProject

    opened = ThingProject.open(project)
    if all_things:  # a thing whose key lives on its device cannot be simulated here
        records = opened.things()
        names = [record.name for record in records if not record.key_on_device]
        if not names:
            if records:
                raise ProjectError(
                    "Every thing of the project has its private key on its device",
                    "zaws can simulate only things whose key is in the project",
                )
            raise ProjectError("The project has no things", "add some with `zaws add-things`")
        return names
    if things:
        return list(dict.fromkeys(things))
    active = opened.active_thing_name
    if active is None:
        raise ProjectError("The project has no active thing", "pass --thing NAME or --all")
    return [active]


def simulated_devices(
    project: Path,
    *,
    aws: AwsSettings,
    emit: Callable[[DeviceEvent], None],
    things: Sequence[str] = (),
    all_things: bool = False,
    every: float | None = None,
    fota_result: FotaResult = "succeed",
    timeout: float = 15.0,
) -> list[SimulatedDevice]:
    """The devices of the things picked, each target resolved (nothing connects yet)."""
    from zaws.devices.device import DeviceOptions, SimulatedDevice
    from zaws.devices.slots import slot_record_path
    from zaws.operations.mqtt_connect import resolve_targets
    from zaws.project.thing_project import ThingProject

    if fota_result not in FOTA_RESULTS:
        raise InvalidInput(f"--fota-result must be one of {', '.join(FOTA_RESULTS)}")
    if every is not None and every <= 0:
        raise InvalidInput("--every takes a positive number of seconds")
    names = pick_things(project, things, all_things)
    state_dir = ThingProject.open(project).state_dir
    options = DeviceOptions(every or TEMPLATE_PERIOD_S, fota_result, timeout)
    targets = resolve_targets(project, aws=aws, things=names)
    return [
        SimulatedDevice(target, slot_record_path(state_dir, name), options, emit)
        for name, target in zip(names, targets, strict=True)
    ]


def run_devices(
    project: Path,
    *,
    aws: AwsSettings,
    on_event: Callable[[DeviceEvent], None],
    things: Sequence[str] = (),
    all_things: bool = False,
    every: float | None = None,
    duration: float | None = None,
    fota_result: FotaResult = "succeed",
    stop: threading.Event | None = None,
    timeout: float = 15.0,
) -> DevicesRan:
    from zaws.devices.fleet import Fleet

    if (every is not None and every <= 0) or (duration is not None and duration <= 0):
        raise InvalidInput("--every and --for take a positive number of seconds")
    fleet = Fleet(on_event)
    devices = simulated_devices(
        project,
        aws=aws,
        emit=fleet.emit,
        things=things,
        all_things=all_things,
        every=every,
        fota_result=fota_result,
        timeout=timeout,
    )
    started = time.monotonic()
    stopped_by = fleet.run(devices, stop or threading.Event(), duration)
    return DevicesRan([d.thing for d in devices], stopped_by, time.monotonic() - started)
