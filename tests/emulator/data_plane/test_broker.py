"""The MQTT broker as devices meet it: real paho-mqtt clients over mutual TLS to the emulator.

Routing, QoS 1, retained messages, duplicate client ids and AWS's limits; what policies allow is
in test_authorization.py, the endpoint itself (TLS, ALPN, WebSocket, bad input) in
test_endpoint.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest

from tests.emulator.data_plane.mqtt_devices import (
    ALLOW_ALL,
    WAIT_S,
    dial,
    endpoint,
    iot,
    make_device,
    unique,
)

__all__ = ["dial", "endpoint", "iot"]  # fixtures

PROTOCOLS = [pytest.param(mqtt.MQTTv311, id="3.1.1"), pytest.param(mqtt.MQTTv5, id="5")]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_device_receives_what_it_subscribed_to(
    iot: Any, dial: Any, tmp_path: Path, protocol: int
) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    device = dial(name, credentials, protocol=protocol)
    topic = f"devices/{name}/data"
    assert device.subscribe(f"devices/{name}/+", qos=1) == [1]
    device.publish(topic, b"hello", qos=1)
    message = device.message()
    assert (message.topic, message.payload, message.qos, message.retain) == (
        topic,
        b"hello",
        1,
        False,
    )
    device.publish(topic, b"qos0", qos=0)
    assert device.message().qos == 0
    assert device.no_message()  # one copy each


def test_one_copy_per_client_at_its_highest_qos(iot: Any, dial: Any, tmp_path: Path) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    device = dial(name, credentials)
    assert device.subscribe(f"o/{name}/#", qos=0) == [0]
    assert device.subscribe(f"o/{name}/x", qos=1) == [1]
    device.publish(f"o/{name}/x", b"m", qos=1)
    assert device.message().qos == 1
    assert device.no_message()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_second_connection_with_the_client_id_drops_the_first(
    iot: Any, dial: Any, tmp_path: Path, protocol: int
) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    first = dial(name, credentials, protocol=protocol)
    second = dial(name, credentials, protocol=protocol)
    assert first.disconnected.wait(WAIT_S)
    if protocol == mqtt.MQTTv5:
        assert first.disconnect_codes[0].value == 0x8E  # session taken over
    assert second.subscribe(f"d/{name}") == [1]
    second.publish(f"d/{name}", b"still served")
    assert second.message().payload == b"still served"


def test_retained_messages_go_to_exact_filters_only(iot: Any, dial: Any, tmp_path: Path) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    device = dial(name, credentials)
    topic = f"r/{name}/state"
    device.publish(topic, b"kept", qos=1, retain=True)
    assert device.subscribe(f"r/{name}/+") == [1]
    assert device.no_message()  # a wildcard filter does not get the retained message
    assert device.subscribe(topic) == [1]
    retained = device.message()
    assert (retained.payload, retained.retain) == (b"kept", True)
    device.publish(topic, b"live", qos=1)
    live = device.message()
    assert (live.payload, live.retain) == (b"live", False)  # RETAIN only on the subscribe copy
    assert device.no_message()
    device.publish(topic, b"", qos=1, retain=True)  # deletes it
    other = dial(unique("other"), credentials)
    assert other.subscribe(topic) == [1]
    assert other.no_message()


def test_qos1_messages_wait_for_a_persistent_session(iot: Any, dial: Any, tmp_path: Path) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    sender_name, sender_credentials = make_device(iot, tmp_path, ALLOW_ALL)
    receiver = dial(name, credentials, clean=False)
    assert receiver.subscribe(f"p/{name}") == [1]
    receiver.stop()
    sender = dial(sender_name, sender_credentials)
    sender.publish(f"p/{name}", b"while away", qos=1)
    sender.publish(f"p/{name}", b"lost qos0", qos=0)
    back = dial(name, credentials, clean=False)
    message = back.message()
    assert (message.topic, message.payload, message.qos) == (f"p/{name}", b"while away", 1)
    assert back.no_message()
    back.stop()
    fresh = dial(name, credentials, clean=True)  # a clean session forgets the subscription
    sender.publish(f"p/{name}", b"after clean", qos=1)
    assert fresh.no_message()


def test_more_than_eight_filters_in_one_subscribe_fail(iot: Any, dial: Any, tmp_path: Path) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    device = dial(name, credentials)
    device.client.subscribe([(f"f/{name}/{i}", 1) for i in range(9)])
    assert [c.value for c in device.subacks.get(timeout=WAIT_S)] == [0x80] * 9
    device.client.subscribe([(f"f/{name}/{i}", 1) for i in range(8)])
    assert [c.value for c in device.subacks.get(timeout=WAIT_S)] == [1] * 8


def test_a_topic_over_aws_limits_closes_the_connection(iot: Any, dial: Any, tmp_path: Path) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    device = dial(name, credentials)
    assert device.subscribe(f"l/{name}/" + "/".join("x" * 6)) == [1]  # 7 slashes: fine
    assert device.subscribe(f"l/{name}/" + "/".join("x" * 7)) == [0x80]  # 8 slashes
    device.client.publish(f"l/{name}/" + "/".join("x" * 7), b"x", 0)
    assert device.disconnected.wait(WAIT_S)


def test_a_payload_over_128_kb_closes_the_connection(iot: Any, dial: Any, tmp_path: Path) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    device = dial(name, credentials)
    assert device.subscribe(f"big/{name}") == [1]
    device.publish(f"big/{name}", b"x" * 128 * 1024)
    assert len(device.message().payload) == 128 * 1024
    device.client.publish(f"big/{name}", b"x" * (128 * 1024 + 1), 0)
    assert device.disconnected.wait(WAIT_S)


@pytest.mark.parametrize("client_id", ["x" * 129, "$reserved"])
def test_client_ids_aws_refuses(iot: Any, dial: Any, tmp_path: Path, client_id: str) -> None:
    _, credentials = make_device(iot, tmp_path, ALLOW_ALL, thing=False)
    device = dial(client_id, credentials, protocol=mqtt.MQTTv5, wait=False)
    assert device.disconnected.wait(WAIT_S)
    assert not device.connected.is_set()
    assert [c.value for c in device.connect_codes] == [0x85]  # client identifier not valid


def test_a_will_is_published_when_the_connection_is_lost(
    iot: Any, dial: Any, tmp_path: Path
) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    watcher_name, watcher_credentials = make_device(iot, tmp_path, ALLOW_ALL)
    watcher = dial(watcher_name, watcher_credentials)
    assert watcher.subscribe(f"will/{name}") == [1]
    doomed = dial(name, credentials, will=(f"will/{name}", b"gone", 1))
    doomed.client.loop_stop()
    sock = doomed.client.socket()
    assert sock is not None
    sock.close()  # lost, not disconnected
    assert watcher.message().payload == b"gone"
