"""MqttConnection on the emulator's MQTT endpoint, as the simulated devices will use it: MQTT 3.1.1
and 5, a SUBSCRIBE with granted and refused filters, messages in the inbox, a QoS 1 PUBACK, and a
second connection with the same client id dropping the first (seen by on_disconnect)."""

from __future__ import annotations

import threading

import pytest
from paho.mqtt.enums import MQTTProtocolVersion

from tests.mqtt.emulator_endpoint import require_mqtt_endpoint
from zaws.aws.settings import AwsSettings
from zaws.mqtt.connection import MqttConnection, ThingIdentity
from zaws.mqtt.messages import Disconnection

WAIT_S = 20


@pytest.mark.parametrize("protocol", [MQTTProtocolVersion.MQTTv311, MQTTProtocolVersion.MQTTv5])
def test_a_device_subscribes_publishes_and_receives_its_own_message(
    sensor: ThingIdentity, aws: AwsSettings, protocol: MQTTProtocolVersion
) -> None:
    endpoint = require_mqtt_endpoint(aws.home)
    with MqttConnection(endpoint, sensor, protocol=protocol) as device:
        device.connect(WAIT_S)
        granted, refused = device.subscribe(["sensor_0/in", "other/in"], qos=1, timeout=WAIT_S)
        assert (granted.topic_filter, granted.granted_qos) == ("sensor_0/in", 1)
        assert refused.refused and refused.topic_filter == "other/in"
        published = device.publish("sensor_0/in", b"ping", qos=1, timeout=WAIT_S)
        assert published.acknowledged
        message = device.inbox.get(timeout=WAIT_S)
        assert (message.topic, message.payload, message.qos) == ("sensor_0/in", b"ping", 1)
        assert device.is_connected


def test_a_second_connection_with_the_same_client_id_drops_the_first(
    sensor: ThingIdentity, aws: AwsSettings
) -> None:
    endpoint = require_mqtt_endpoint(aws.home)
    dropped = threading.Event()
    ends: list[Disconnection] = []

    def on_disconnect(ended: Disconnection) -> None:
        ends.append(ended)
        dropped.set()

    with MqttConnection(endpoint, sensor, on_disconnect=on_disconnect) as first:
        first.connect(WAIT_S)
        with MqttConnection(endpoint, sensor) as second:
            second.connect(WAIT_S)
            assert dropped.wait(WAIT_S)
            assert second.is_connected and not first.is_connected
    [ended] = ends
    assert not ended.expected and not ended.before_connack
