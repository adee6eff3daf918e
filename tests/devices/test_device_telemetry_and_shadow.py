"""Simulated devices on the emulator: the template's samples arrive, shadow deltas are answered,
several devices run in one process and stop cleanly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.devices.running import RunningDevices
from zaws.aws.settings import AwsSettings
from zaws.mqtt.messages import MqttMessage
from zaws.operations.add_things import add_things
from zaws.operations.mqtt_connect import open_connection, resolve_target

WAIT_S = 30.0


def test_a_device_publishes_the_templates_samples_seen_by_the_user(
    project: Path, aws: AwsSettings
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    watcher = open_connection(resolve_target(project, aws=aws))  # the user's AWS identity
    try:
        watcher.subscribe(["board_0/samples"])
        with RunningDevices(project, aws, every=0.2) as devices:
            connected = devices.wait_for(lambda e: e.kind == "connected", "connected")
            assert connected.data["client_id"] == "board_0"
            message: MqttMessage = watcher.inbox.get(timeout=WAIT_S)
    finally:
        watcher.close()
    assert message.topic == "board_0/samples"
    sample = json.loads(message.payload)
    assert set(sample) == {"temperature", "uptime_ms"} and 20 <= sample["temperature"] < 30


def test_a_shadow_delta_is_answered_by_reporting_the_new_state(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    data = boto("iot-data")
    with RunningDevices(project, aws, every=60) as devices:
        devices.wait_for(lambda e: e.kind == "subscribed", "subscribed")
        desired = {"state": {"desired": {"led": "on"}}}
        data.update_thing_shadow(thingName="board_0", payload=json.dumps(desired).encode())
        answered = devices.wait_for(lambda e: e.kind == "shadow", "a shadow answer")
        assert answered.data["reported"] == {"led": "on"}
        # the event comes after the report's round trip: the broker has handled it
        shadow = json.loads(data.get_thing_shadow(thingName="board_0")["payload"].read())
    assert shadow["state"]["reported"] == {"led": "on"}
    assert "delta" not in shadow["state"]


def test_several_devices_run_in_one_process_and_all_disconnect_when_stopped(
    project: Path, aws: AwsSettings
) -> None:
    add_things(project, aws=aws, base_name="board", count=3)
    devices = RunningDevices(project, aws, all_things=True, every=0.2)
    for name in ("board_0", "board_1", "board_2"):
        devices.wait_for(lambda e, n=name: e.kind == "published" and e.thing == n, f"{name}")
    ran = devices.close()
    assert ran.things == ["board_0", "board_1", "board_2"] and ran.stopped_by == "stopped"
    while not devices.events.empty():
        devices.seen.append(devices.events.get())
    stopped = {e.thing for e in devices.seen if e.kind == "disconnected" and e.data["expected"]}
    assert stopped == {"board_0", "board_1", "board_2"}
