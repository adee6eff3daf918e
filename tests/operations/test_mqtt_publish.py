"""`publish_message` end to end on the emulator's MQTT endpoint: refusals in the policy's words,
and what AWS IoT would refuse checked before connecting."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.mqtt.emulator_endpoint import require_mqtt_endpoint
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, ZawsError
from zaws.operations.add_things import add_things
from zaws.operations.mqtt_publish import MAX_PAYLOAD_BYTES, publish_message


@pytest.fixture
def device(project: Path, aws: AwsSettings) -> Path:
    require_mqtt_endpoint(aws.home)
    add_things(project, aws=aws, base_name="sensor", count=1)
    return project


def test_a_thing_publishes_to_its_own_topic(device: Path, aws: AwsSettings) -> None:
    published = publish_message(device, "sensor_0/data", b"{}", aws=aws, thing="sensor_0", qos=1)
    assert (published.client_id, published.qos, published.size) == ("sensor_0", 1, 2)
    assert published.to_dict()["identity"].startswith("thing sensor_0")


@pytest.mark.parametrize("qos", [0, 1])
def test_an_unauthorized_publish_is_explained_by_the_policy(
    device: Path, aws: AwsSettings, qos: int
) -> None:
    with pytest.raises(ZawsError) as refused:
        publish_message(device, "other/x", b"hi", aws=aws, thing="sensor_0", qos=qos)
    assert (
        "policy device-policy does not allow publishing to other/x (iot:Publish on topic/other/x)"
        in refused.value.message
    )


def test_a_client_id_the_policy_does_not_allow_is_explained(device: Path, aws: AwsSettings) -> None:
    conf_path = device / ".aws_things_resources" / "sensor_0" / "thing.conf.json"
    conf = json.loads(conf_path.read_text())
    conf["mqttid"] = "x"
    conf_path.write_text(json.dumps(conf))
    with pytest.raises(ZawsError) as refused:
        publish_message(device, "sensor_0/data", b"hi", aws=aws, thing="sensor_0")
    assert (
        "policy device-policy does not allow client id x (iot:Connect on client/x)"
        in refused.value.message
    )


@pytest.mark.parametrize(
    ("topic", "payload", "qos", "words"),
    [
        ("a/+/b", b"", 0, "for subscriptions"),
        ("", b"", 0, "cannot be empty"),
        ("a", b"", 2, "QoS 2"),
        ("a", b"x" * (MAX_PAYLOAD_BYTES + 1), 0, "at most"),
        ("t" * 257, b"", 0, "256 bytes"),
    ],
)
def test_what_aws_would_refuse_is_refused_before_connecting(
    tmp_path: Path, topic: str, payload: bytes, qos: int, words: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(words)):
        publish_message(tmp_path, topic, payload, aws=AwsSettings(local=True), qos=qos)
