"""A simulated device under a policy that lacks what its firmware does: the emulator closes its
connection, and the device's error event names the policy and what it does not allow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.devices.running import RunningDevices
from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things
from zaws.project.thing_project import ThingProject


def test_a_device_that_may_not_publish_its_samples_says_which_policy_refuses(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    record = ThingProject.open(project).thing("board_0")
    iot = boto("iot")
    document = json.loads(iot.get_policy(policyName="device-policy")["policyDocument"])
    publish = next(s for s in document["Statement"] if "iot:Publish" in s["Action"])
    publish["Resource"] = [r for r in publish["Resource"] if "$aws" in r]
    iot.create_policy(policyName="no-samples", policyDocument=json.dumps(document))
    iot.detach_policy(policyName="device-policy", target=record.cert_arn)
    iot.attach_policy(policyName="no-samples", target=record.cert_arn)

    with RunningDevices(project, aws, every=60, timeout=5) as devices:
        error = devices.wait_for(lambda e: e.kind == "error", "an error")
    assert "no-samples" in error.text and "board_0/samples" in error.text, error.text
