"""A project from the template and a least-privilege device policy."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput
from zaws.operations.create_policy import check_policy_name, create_policy
from zaws.operations.create_project import create_project


def test_template_files_and_gitignore_keep_keys_out_of_git(tmp_path: Path) -> None:
    made = create_project(
        "p", tmp_path, endpoint="x-ats.iot.eu-west-1.amazonaws.com", policy_name="pol"
    )
    root = Path(made.path)
    assert json.loads((root / "thing.conf.json").read_text()) == {
        "endpoint": "x-ats.iot.eu-west-1.amazonaws.com",
        "policy_name": "pol",
    }
    ignored = (root / ".gitignore").read_text().split()
    assert {"private.pem.key", "certificate.pem.crt", ".aws_things_resources/"} <= set(ignored)
    assert "thing.conf.json" in (root / "main.py").read_text()
    assert not any(p.name.startswith(".p.") for p in tmp_path.iterdir())  # no staging left


def test_without_credentials_the_endpoint_is_left_empty_and_the_reason_given(
    tmp_path: Path,
) -> None:
    made = create_project("p", tmp_path, aws=None)
    assert made.endpoint == "" and made.endpoint_source == "unset" and made.endpoint_note


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", " "])
def test_unusable_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidInput):
        create_project(name, tmp_path)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("demo\nproject", "U+000A"),
        ("demo\r", "U+000D"),
        ("tab\there", "U+0009"),
        ("del\x7f", "U+007F"),
        ("\x1b[31mred", "U+001B"),
        ("right\u202eleft", "U+202E"),
        ("zero\u200bwidth", "U+200B"),
        ("a\\b", "path separator"),
        ("a/b", "path separator"),
    ],
)
def test_names_with_control_characters_or_separators_are_refused(
    tmp_path: Path, name: str, problem: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(problem)) as caught:
        create_project(name, tmp_path, endpoint="e")
    assert caught.value.hint
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["demo project", "démo", "v1.2_final-3"])
def test_plain_names_are_accepted(tmp_path: Path, name: str) -> None:
    assert Path(create_project(name, tmp_path, endpoint="e").path).name == name


@pytest.mark.parametrize("policy", ["bad policy", "", "x" * 129, "pol/icy", "pölicy"])
def test_a_policy_name_create_policy_refuses_is_refused_before_anything_is_written(
    tmp_path: Path, policy: str
) -> None:
    with pytest.raises(InvalidInput, match="not a valid AWS IoT policy name"):
        create_project("p", tmp_path, endpoint="e", policy_name=policy)
    with pytest.raises(InvalidInput, match="not a valid AWS IoT policy name"):
        check_policy_name(policy)  # the same rule as create-policy
    assert list(tmp_path.iterdir()) == []


def test_a_valid_policy_name_is_written(tmp_path: Path) -> None:
    made = create_project("p", tmp_path, endpoint="e", policy_name="zerynth+devices=1,a.b@c-d_e")
    assert json.loads((Path(made.path) / "thing.conf.json").read_text())["policy_name"] == (
        "zerynth+devices=1,a.b@c-d_e"
    )


def test_policy_lets_a_device_use_only_its_own_name_topics_and_jobs(
    aws: AwsSettings, boto: Any
) -> None:
    made = create_policy("devices", aws=aws)
    assert made.created
    document = json.loads(boto("iot").get_policy(policyName="devices")["policyDocument"])
    resources = [
        r
        for s in document["Statement"]
        for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
    ]
    assert all("${iot:Connection.Thing.ThingName}" in r for r in resources)
    connect = next(s for s in document["Statement"] if s["Action"] == "iot:Connect")
    assert connect["Condition"] == {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}
    assert create_policy("devices", aws=aws).created is False  # idempotent


def test_invalid_policy_name(aws: AwsSettings) -> None:
    with pytest.raises(InvalidInput, match="policy name"):
        create_policy("bad name!", aws=aws)


def test_policy_with_added_topics_lets_devices_use_them(aws: AwsSettings, boto: Any) -> None:
    made = create_policy("devices", aws=aws, topics=["dev/sample", "dev/sample", "alerts/#"])
    document = json.loads(boto("iot").get_policy(policyName=made.name)["policyDocument"])
    added = {s["Sid"]: s["Resource"] for s in document["Statement"] if "Sid" in s}
    assert added == {
        "ApplicationTopicsPublish": [
            "arn:aws:iot:*:*:topic/alerts/*",
            "arn:aws:iot:*:*:topic/dev/sample",
        ],
        "ApplicationTopicsReceive": [
            "arn:aws:iot:*:*:topic/alerts/*",
            "arn:aws:iot:*:*:topic/dev/sample",
        ],
        "ApplicationTopicsSubscribe": [
            "arn:aws:iot:*:*:topicfilter/alerts/#",
            "arn:aws:iot:*:*:topicfilter/dev/sample",
        ],
    }


def test_a_bad_topic_is_refused_before_the_policy_is_created(aws: AwsSettings, boto: Any) -> None:
    with pytest.raises(InvalidInput, match="reserved"):
        create_policy("devices", aws=aws, topics=["dev/sample", "$aws/events/#"])
    assert boto("iot").list_policies()["policies"] == []
