"""Lifecycle events over the emulator's MQTT endpoint: a watcher allowed to receive them sees a
device connect and disconnect, with AWS's payloads; one without iot:Receive on them sees nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.emulator.data_plane.mqtt_devices import (
    ALLOW_ALL,
    Device,
    dial,
    endpoint,
    iot,
    make_device,
)

__all__ = ["dial", "endpoint", "iot"]  # fixtures
PRESENCE = "$aws/events/presence"


def test_a_watcher_sees_a_device_connect_and_disconnect(
    aws: Any, iot: Any, dial: Callable[..., Device], tmp_path: Path
) -> None:
    watcher_id, watcher_credentials = make_device(iot, tmp_path, ALLOW_ALL)
    device_id, device_credentials = make_device(iot, tmp_path, ALLOW_ALL)
    watcher = dial(watcher_id, watcher_credentials)
    assert watcher.subscribe(f"{PRESENCE}/connected/{device_id}") == [1]
    assert watcher.subscribe(f"{PRESENCE}/disconnected/{device_id}") == [1]

    device = dial(device_id, device_credentials)
    connected = watcher.message()
    device.stop()
    disconnected = watcher.message()

    assert connected.topic == f"{PRESENCE}/connected/{device_id}"
    up = json.loads(connected.payload)
    assert up["clientId"] == device_id and up["eventType"] == "connected"
    assert up["principalIdentifier"] == device_credentials.certificate_id
    assert disconnected.topic == f"{PRESENCE}/disconnected/{device_id}"
    down = json.loads(disconnected.payload)
    assert down["sessionIdentifier"] == up["sessionIdentifier"]
    assert down["disconnectReason"] == "CLIENT_INITIATED_DISCONNECT"
    assert down["clientInitiatedDisconnect"] is True


def test_a_watcher_without_receive_on_the_events_gets_none(
    aws: Any, iot: Any, dial: Callable[..., Device], tmp_path: Path
) -> None:
    no_receive = {
        "Effect": "Deny",
        "Action": "iot:Receive",
        "Resource": "arn:aws:iot:*:*:topic/$aws/events/*",
    }
    watcher_id, watcher_credentials = make_device(iot, tmp_path, ALLOW_ALL, no_receive)
    device_id, device_credentials = make_device(iot, tmp_path, ALLOW_ALL)
    watcher = dial(watcher_id, watcher_credentials)
    watcher.subscribe(f"{PRESENCE}/connected/{device_id}")
    watcher.subscribe(f"{watcher_id}/probe")
    dial(device_id, device_credentials)
    watcher.publish(f"{watcher_id}/probe", b"after the device connected")
    # the event was published before the probe; only the probe arrives
    assert watcher.message().topic == f"{watcher_id}/probe"
