"""A device that cannot reach its endpoint (nothing listening yet, a handshake that timed out
while a thousand devices power on) tries again after a growing, jittered pause until it connects
or is stopped; the Zerynth device does not give up on its network either."""

from __future__ import annotations

import queue
import socket
import threading
from dataclasses import replace
from pathlib import Path

from zaws.aws.settings import AwsSettings
from zaws.devices.device import DeviceOptions, SimulatedDevice
from zaws.devices.events import DeviceEvent
from zaws.devices.link import RETRY_MAX_S, retry_pause
from zaws.operations.add_things import add_things
from zaws.operations.mqtt_connect import resolve_target

WAIT_S = 30.0


def test_the_pauses_grow_to_a_ceiling_and_spread_out() -> None:
    for failures, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (6, RETRY_MAX_S), (40, RETRY_MAX_S)]:
        pauses = {retry_pause(failures) for _ in range(50)}
        assert all(ceiling / 2 <= p <= ceiling for p in pauses)
        assert len(pauses) > 1  # jittered: a fleet's retries do not line up


class Relay:
    """A TCP port that forwards to the real endpoint once opened (the endpoint coming up)."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = _free_port()

    def open(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._serve, args=(listener,), daemon=True).start()

    def _serve(self, listener: socket.socket) -> None:
        while True:
            client, _ = listener.accept()
            server = socket.create_connection(self.upstream)
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        sink.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def next_event(events: queue.Queue[DeviceEvent], kind: str) -> DeviceEvent:
    while True:
        event = events.get(timeout=WAIT_S)
        assert event.kind != "error", event.text
        if event.kind == kind:
            return event


def test_a_device_retries_until_its_endpoint_comes_up_then_stops_cleanly(
    project: Path, aws: AwsSettings, tmp_path: Path
) -> None:
    add_things(project, aws=aws, base_name="board", count=1, keys="local")
    target = resolve_target(project, aws=aws, thing="board_0")
    relay = Relay((target.endpoint.host, target.endpoint.port))
    unreachable = replace(target, endpoint=replace(target.endpoint, port=relay.port))
    events: queue.Queue[DeviceEvent] = queue.Queue()
    device = SimulatedDevice(
        unreachable, tmp_path / "slots.json", DeviceOptions(every=60), events.put
    )
    stop = threading.Event()
    running = threading.Thread(target=device.run, args=(stop,), daemon=True)
    running.start()
    first = next_event(events, "note")
    assert "could not connect" in first.text and first.data["seconds"] <= 1.0
    second = next_event(events, "note")
    assert "trying again" in second.text
    relay.open()
    next_event(events, "connected")
    next_event(events, "subscribed")
    stop.set()
    running.join(WAIT_S)
    assert not running.is_alive()
    assert next_event(events, "disconnected").data["expected"] is True


def test_a_server_that_is_not_the_endpoint_s_is_not_tried_again(
    project: Path, aws: AwsSettings, tmp_path: Path
) -> None:
    """The emulator's server certificate, checked against Amazon's root: final, not retried."""
    from zaws.mqtt.endpoints import amazon_root_ca_1

    add_things(project, aws=aws, base_name="board", count=1, keys="local")
    target = resolve_target(project, aws=aws, thing="board_0")
    untrusted = replace(target, endpoint=replace(target.endpoint, ca_pem=amazon_root_ca_1()))
    events: list[DeviceEvent] = []
    device = SimulatedDevice(untrusted, tmp_path / "slots.json", DeviceOptions(), events.append)
    device.run(threading.Event())  # returns: the failure ends the device
    kinds = [e.kind for e in events]
    assert "note" not in kinds and kinds[-1] == "error", [e.text for e in events]
    assert "certificate is not trusted" in events[-1].text


def test_connection_attempts_wait_for_one_of_a_few_slots_and_a_stop_ends_the_wait() -> None:
    """A thousand devices started together connect a few at a time, not all at once."""
    from contextlib import ExitStack

    import pytest

    from zaws.devices.process_slots import CONNECTING

    running = threading.Event()
    with ExitStack() as taken:
        for _ in range(CONNECTING.count):
            taken.enter_context(CONNECTING.held(running))
        stop = threading.Event()
        outcome: queue.Queue[str] = queue.Queue()
        waiting = threading.Thread(target=_try_slot, args=(stop, outcome), daemon=True)
        waiting.start()
        with pytest.raises(queue.Empty):
            outcome.get(timeout=0.5)  # every slot is taken: it waits
        stop.set()
        assert outcome.get(timeout=WAIT_S) == "stopped"
    with CONNECTING.held(running):  # the slots are free again
        pass


def _try_slot(stop: threading.Event, outcome: queue.Queue[str]) -> None:
    from zaws.devices.process_slots import CONNECTING
    from zaws.devices.stopping import DeviceStopped

    try:
        with CONNECTING.held(stop):
            outcome.put("got a slot")
    except DeviceStopped:
        outcome.put("stopped")
