"""The server's simulated devices in-process, on the emulator: started by session, each reporting
through `notify`, stopped one by one or all, and a device that ends by itself stays listed; once
stopped all, a start still resolving its things is refused."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.service.collected import Collected
from zaws.aws.settings import AwsSettings
from zaws.devices.device import SimulatedDevice
from zaws.errors import InvalidInput, NotFound, OperationCancelled
from zaws.operations.add_things import add_things
from zaws.operations.device_run import simulated_devices
from zaws.project.thing_project import ThingProject
from zaws.service.device_sessions import DeviceSessions

EVENT = "zaws/deviceEvent"


@pytest.fixture
def sessions() -> Iterator[tuple[DeviceSessions, Collected]]:
    collected = Collected()
    devices = DeviceSessions(collected)
    yield devices, collected
    devices.stop_all()


def kind_of(thing: str, kind: str) -> Any:
    return lambda p: p["thing"] == thing and p["kind"] == kind


def test_devices_report_and_stop_one_at_a_time(
    project: Path, aws: AwsSettings, sessions: tuple[DeviceSessions, Collected]
) -> None:
    devices, collected = sessions
    add_things(project, aws=aws, base_name="board", count=2)
    started = devices.start(project, aws=aws, all_things=True, every=0.2)
    assert started["things"] == ["board_0", "board_1"] and started["every"] == 0.2
    for thing in started["things"]:
        connected = collected.wait_for(EVENT, kind_of(thing, "connected"))
        assert connected["sessionId"] == started["sessionId"]
        assert connected["data"]["clientId"] == thing
        published = collected.wait_for(EVENT, kind_of(thing, "published"))
        assert published["data"]["topic"] == f"{thing}/samples"
        assert set(published["data"]["payload"]) == {"temperature", "uptime_ms"}  # verbatim
    listed = devices.listing(project)["devices"]
    assert [(d["thing"], d["running"]) for d in listed] == [("board_0", True), ("board_1", True)]

    stopped = devices.stop(project=project, things=["board_0"])["stopped"]
    assert [(d["thing"], d["running"]) for d in stopped] == [("board_0", False)]
    seen = len(collected.drain())
    last = [params for _, params in collected.seen if params.get("thing") == "board_0"][-1]
    assert last["kind"] == "disconnected" and last["data"]["expected"] is True
    # board_1 runs on: it publishes again after board_0 stopped.
    collected.wait_for(EVENT, kind_of("board_1", "published"), after=seen)
    assert [d["thing"] for d in devices.listing()["devices"]] == ["board_1"]
    devices.stop_all()
    assert devices.listing()["devices"] == []
    assert collected.wait_for(EVENT, kind_of("board_1", "disconnected"))["data"]["expected"]


def test_a_running_thing_is_not_started_twice_and_sessions_are_stopped_by_id(
    project: Path, aws: AwsSettings, sessions: tuple[DeviceSessions, Collected]
) -> None:
    devices, collected = sessions
    add_things(project, aws=aws, base_name="board", count=2)
    first = devices.start(project, aws=aws, things=["board_0"])  # the active thing
    with pytest.raises(InvalidInput, match="board_0"):
        devices.start(project, aws=aws, all_things=True)
    assert [d["thing"] for d in devices.listing()["devices"]] == ["board_0"]
    with pytest.raises(NotFound):
        devices.stop(session_id="devices-nope")
    with pytest.raises(NotFound, match="board_1"):
        devices.stop(project=project, things=["board_1"])
    collected.wait_for(EVENT, kind_of("board_0", "connected"))
    stopped = devices.stop(session_id=first["sessionId"])["stopped"]
    assert [d["sessionId"] for d in stopped] == [first["sessionId"]]
    assert devices.listing()["devices"] == []


def test_a_device_that_ends_by_itself_stays_listed_until_started_again(
    project: Path, aws: AwsSettings, sessions: tuple[DeviceSessions, Collected], boto: Any
) -> None:
    devices, collected = sessions
    add_things(project, aws=aws, base_name="board", count=1)
    cert_id = ThingProject.open(project).thing("board_0").cert_id
    boto("iot").update_certificate(certificateId=cert_id, newStatus="INACTIVE")
    devices.start(project, aws=aws)
    error = collected.wait_for(EVENT, kind_of("board_0", "error"))
    assert "INACTIVE" in error["text"]
    entry = _after_its_thread_ended(devices, project)
    assert entry["running"] is False and entry["lastEvent"] in ("error", "disconnected")

    boto("iot").update_certificate(certificateId=cert_id, newStatus="ACTIVE")
    again = devices.start(project, aws=aws)  # not refused: the old one ended
    connected = collected.wait_for(
        EVENT, lambda p: p["sessionId"] == again["sessionId"] and p["kind"] == "connected"
    )
    assert connected["thing"] == "board_0"
    assert [d["sessionId"] for d in devices.listing()["devices"]] == [again["sessionId"]]


def _after_its_thread_ended(devices: DeviceSessions, project: Path) -> dict[str, Any]:
    """The device's entry once its thread is over (joined, bounded)."""
    entry = next(iter(devices._devices.values()))
    assert entry.thread is not None
    entry.thread.join(30)
    listed: dict[str, Any] = devices.listing(project)["devices"][0]
    return listed


def test_a_start_still_resolving_when_stop_all_comes_is_refused_and_nothing_runs(
    project: Path, aws: AwsSettings
) -> None:
    add_things(project, aws=aws, base_name="board", count=2)
    resolved, go = threading.Event(), threading.Event()

    def resolving(*args: Any, **kwargs: Any) -> list[SimulatedDevice]:
        """The real resolution, held at its end until the test lets it go on."""
        devices = simulated_devices(*args, **kwargs)
        resolved.set()
        assert go.wait(30)
        return devices

    collected = Collected()
    devices = DeviceSessions(collected, make_devices=resolving)
    outcome: list[BaseException | dict[str, Any]] = []

    def start() -> None:
        try:
            outcome.append(devices.start(project, aws=aws, all_things=True))
        except BaseException as err:
            outcome.append(err)

    starting = threading.Thread(target=start)
    starting.start()
    assert resolved.wait(30)  # Simulate All Things, still resolving: the server exits
    devices.stop_all()
    go.set()
    starting.join(30)
    (refused,) = outcome
    assert isinstance(refused, OperationCancelled), refused
    assert "shutting down" in refused.message
    assert devices.listing()["devices"] == []
    assert not [t for t in threading.enumerate() if t.name.startswith("device board_")]
    with pytest.raises(OperationCancelled):  # and no later start either
        devices.start(project, aws=aws, all_things=True)
    assert not any(name == EVENT for name, _ in collected.drain())


def test_a_device_whose_thread_outlives_the_stop_stays_listed_and_its_thing_busy(
    project: Path, aws: AwsSettings
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    disconnected, release = threading.Event(), threading.Event()

    def lingering(*args: Any, **kwargs: Any) -> list[SimulatedDevice]:
        """The real device, its thread kept alive after it disconnected until released."""
        (device,) = simulated_devices(*args, **kwargs)
        run = device.run

        def run_then_linger(stop: threading.Event) -> None:
            run(stop)
            disconnected.set()
            release.wait(30)

        device.run = run_then_linger  # type: ignore[method-assign]
        return [device]

    collected = Collected()
    devices = DeviceSessions(collected, make_devices=lingering, stops_within=0.5)
    try:
        devices.start(project, aws=aws)
        collected.wait_for(EVENT, kind_of("board_0", "subscribed"))
        stopped = devices.stop(project=project)["stopped"]
        assert disconnected.wait(30)
        assert [(d["thing"], d["running"]) for d in stopped] == [("board_0", True)]
        listed = devices.listing(project)["devices"]
        assert [(d["thing"], d["running"]) for d in listed] == [("board_0", True)]
        with pytest.raises(InvalidInput, match="board_0"):  # no second client with its id
            devices.start(project, aws=aws)
    finally:
        release.set()
    entry = _after_its_thread_ended(devices, project)
    assert entry["running"] is False
    assert devices.stop(project=project)["stopped"][0]["running"] is False
    assert devices.listing()["devices"] == []
