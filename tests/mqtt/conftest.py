"""`sensor`: one thing of the test's project, as the identity a device connects with."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mqtt.emulator_endpoint import require_mqtt_endpoint
from zaws.aws.settings import AwsSettings
from zaws.mqtt.connection import ThingIdentity
from zaws.operations.add_things import add_things
from zaws.project.thing_project import ThingProject


@pytest.fixture
def sensor(project: Path, aws: AwsSettings) -> ThingIdentity:
    require_mqtt_endpoint(aws.home)
    add_things(project, aws=aws, base_name="sensor", count=1)
    record = ThingProject.open(project).thing("sensor_0")
    return ThingIdentity("sensor_0", "sensor_0", record.certificate_path, record.private_key_path)
