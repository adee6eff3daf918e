"""Refusals in words: against AWS, what was refused and where to look; locally, the emulator's
state (a deleted certificate) read back through boto3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.mqtt.emulator_endpoint import require_mqtt_endpoint
from zaws.aws.settings import AwsSettings
from zaws.errors import ZawsError
from zaws.mqtt.connection import ConnectionRefused, ThingIdentity
from zaws.mqtt.endpoints import aws_endpoint
from zaws.mqtt.messages import Disconnection, SubscriptionOutcome
from zaws.operations.add_things import add_things
from zaws.operations.mqtt_connect import MqttTarget
from zaws.operations.mqtt_publish import publish_message
from zaws.operations.mqtt_refusals import (
    explain_refused_connection,
    explain_refused_subscription,
)
from zaws.project.thing_project import ThingProject

ENDPOINT = "a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com"


def aws_target(project: Path, tmp_path: Path) -> MqttTarget:
    opened = ThingProject.open(project)
    record = opened.thing("sensor_0")
    identity = ThingIdentity(
        "sensor_0", "sensor_0", record.certificate_path, record.private_key_path
    )
    settings = AwsSettings(local=False, home=tmp_path / "home")
    return MqttTarget(opened, aws_endpoint(ENDPOINT), identity, record, settings)


def test_against_aws_a_refused_connection_points_to_device_check(
    project: Path, aws: AwsSettings, tmp_path: Path
) -> None:
    add_things(project, aws=aws, base_name="sensor", count=1)
    closed = Disconnection(False, "the broker closed the connection", before_connack=True)
    refused = ConnectionRefused("refused", disconnection=closed)
    explained = explain_refused_connection(aws_target(project, tmp_path), refused)
    assert explained.message.startswith(f"AWS IoT at {ENDPOINT}:443 refused")
    assert "refused the connection of thing sensor_0 (client id sensor_0)" in explained.message
    assert "AWS IoT does not say why" in explained.message
    assert "zaws device check" in (explained.hint or "")
    sentence = explain_refused_subscription(
        aws_target(project, tmp_path), SubscriptionOutcome("other/#", None, "Unspecified error")
    )
    assert sentence.startswith("subscribing to other/# was refused (Unspecified error)")
    assert "zaws device check" in sentence


def test_locally_a_deleted_certificate_is_said_to_be_unregistered(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    require_mqtt_endpoint(aws.home)
    add_things(project, aws=aws, base_name="sensor", count=1)
    record = ThingProject.open(project).thing("sensor_0")
    iot = boto("iot")
    iot.detach_thing_principal(thingName="sensor_0", principal=record.cert_arn)
    iot.detach_policy(policyName="device-policy", target=record.cert_arn)
    iot.update_certificate(certificateId=record.cert_id, newStatus="INACTIVE")
    iot.delete_certificate(certificateId=record.cert_id)
    with pytest.raises(ZawsError) as refused:
        publish_message(project, "sensor_0/data", b"x", aws=aws, thing="sensor_0")
    assert "is not registered in the account" in refused.value.message
