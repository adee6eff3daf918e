"""Adding statements to a policy on the emulator: a new default version, at most five kept."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zaws.aws.settings import AwsSettings
from zaws.errors import NotFound
from zaws.operations.create_policy import create_policy
from zaws.operations.policy_topics import permission_statements
from zaws.operations.policy_versions import add_policy_statements


def statements(topic: str) -> list[dict[str, Any]]:
    return permission_statements(publish=[f"arn:aws:iot:*:*:topic/{topic}"])


def default_document(boto: Any, name: str) -> dict[str, Any]:
    return dict(json.loads(boto("iot").get_policy(policyName=name)["policyDocument"]))


def test_statements_are_added_as_a_new_default_version(aws: AwsSettings, boto: Any) -> None:
    create_policy("devices", aws=aws)
    before = default_document(boto, "devices")["Statement"]
    added = add_policy_statements("devices", statements("dev/sample"), aws=aws)
    assert added.version_id == "2" and added.deleted_version is None
    assert default_document(boto, "devices")["Statement"] == [*before, *statements("dev/sample")]
    versions = boto("iot").list_policy_versions(policyName="devices")["policyVersions"]
    assert {v["versionId"]: v["isDefaultVersion"] for v in versions} == {"1": False, "2": True}


def test_statements_already_there_make_no_version(aws: AwsSettings, boto: Any) -> None:
    create_policy("devices", aws=aws)
    add_policy_statements("devices", statements("dev/sample"), aws=aws)
    again = add_policy_statements("devices", statements("dev/sample"), aws=aws)
    assert again.version_id is None and again.added == []
    assert len(boto("iot").list_policy_versions(policyName="devices")["policyVersions"]) == 2


def test_at_most_five_versions_are_kept_deleting_the_oldest_non_default(
    aws: AwsSettings, boto: Any
) -> None:
    create_policy("devices", aws=aws)
    deleted = [
        add_policy_statements("devices", statements(f"t/{n}"), aws=aws).deleted_version
        for n in range(6)
    ]
    assert deleted == [None, None, None, None, "1", "2"]
    versions = boto("iot").list_policy_versions(policyName="devices")["policyVersions"]
    assert sorted(int(v["versionId"]) for v in versions) == [3, 4, 5, 6, 7]
    assert [v["versionId"] for v in versions if v["isDefaultVersion"]] == ["7"]
    kept = default_document(boto, "devices")["Statement"]
    assert all(s in kept for n in range(6) for s in statements(f"t/{n}"))


def test_a_missing_policy_is_named_with_the_command_that_creates_it(aws: AwsSettings) -> None:
    with pytest.raises(NotFound, match="'ghost' does not exist") as missing:
        add_policy_statements("ghost", statements("dev/sample"), aws=aws)
    assert missing.value.hint == "create it with `zaws create-policy ghost`"
