"""`check_device` end to end on the emulator: a good thing passes every step, a thing whose policy
lacks the shadow topics fails that step with the policy evaluator naming what is missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things
from zaws.operations.device_check import check_device
from zaws.project.thing_project import ThingProject

NO_SHADOW = "no-shadow-policy"


def test_a_thing_under_the_device_policy_may_do_all_its_firmware_does(
    project: Path, aws: AwsSettings
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    checked = check_device(project, aws=aws)
    assert checked.thing == "board_0" and checked.client_id == "board_0"
    assert [s.name for s in checked.steps] == ["connect", "samples", "commands", "jobs", "shadow"]
    assert checked.ok, checked.steps
    assert "received $aws/things/board_0/shadow/update/delta" in checked.steps[-1].words


def test_a_policy_without_the_shadow_topics_fails_with_the_statement_named(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    record = ThingProject.open(project).thing("board_0")
    iot = boto("iot")
    document = json.loads(iot.get_policy(policyName="device-policy")["policyDocument"])
    for statement in document["Statement"]:
        if isinstance(statement["Resource"], list):
            statement["Resource"] = [r for r in statement["Resource"] if "/shadow/" not in r]
    iot.create_policy(policyName=NO_SHADOW, policyDocument=json.dumps(document))
    iot.detach_policy(policyName="device-policy", target=record.cert_arn)
    iot.attach_policy(policyName=NO_SHADOW, target=record.cert_arn)

    checked = check_device(project, aws=aws, thing="board_0", timeout=3)
    by_name = {s.name: s for s in checked.steps}
    assert not checked.ok
    assert all(by_name[n].ok for n in ("connect", "samples", "commands", "jobs"))
    shadow = by_name["shadow"]
    assert not shadow.ok
    assert any(NO_SHADOW in why and "shadow/update" in why for why in shadow.why), shadow
