"""Adding statements to a policy on the emulator: a new default version, at most five kept; the
resources merged into the matching statement; a document over AWS's size refused before any
change; a default version that changed meanwhile merged into."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound
from zaws.operations.create_policy import create_policy
from zaws.operations.policy_topics import permission_statements
from zaws.operations.policy_versions import add_policy_statements
from zaws.operations.progress import ProgressReport


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
    kept = [r for s in default_document(boto, "devices")["Statement"] for r in s["Resource"]]
    assert all(f"arn:aws:iot:*:*:topic/t/{n}" in kept for n in range(6))


def test_a_missing_policy_is_named_with_the_command_that_creates_it(aws: AwsSettings) -> None:
    with pytest.raises(NotFound, match="'ghost' does not exist") as missing:
        add_policy_statements("ghost", statements("dev/sample"), aws=aws)
    assert missing.value.hint == "create it with `zaws create-policy ghost`"


def versions_of(boto: Any, name: str) -> list[tuple[str, bool]]:
    versions = boto("iot").list_policy_versions(policyName=name)["policyVersions"]
    return sorted((v["versionId"], v["isDefaultVersion"]) for v in versions)


def test_repeated_fixes_extend_one_statement_instead_of_adding_one_each(
    aws: AwsSettings, boto: Any
) -> None:
    create_policy("devices", aws=aws)
    before = default_document(boto, "devices")["Statement"]
    for topic in ("a/1", "a/2", "a/3"):
        add_policy_statements("devices", statements(topic), aws=aws)
    subscribe = permission_statements(subscribe=["arn:aws:iot:*:*:topicfilter/a/#"])
    added = add_policy_statements("devices", subscribe, aws=aws)
    after = default_document(boto, "devices")["Statement"]
    assert len(after) == len(before) + 1  # the publishes share one; the filter joins Subscribe's
    assert after[-1]["Resource"] == [f"arn:aws:iot:*:*:topic/a/{n}" for n in (1, 2, 3)]
    [subscribing] = [s for s in after if s["Action"] in ("iot:Subscribe", ["iot:Subscribe"])]
    assert "arn:aws:iot:*:*:topicfilter/a/#" in subscribing["Resource"]
    assert added.added == subscribe


def test_a_document_over_awss_size_is_refused_before_any_version_is_deleted(
    aws: AwsSettings, boto: Any
) -> None:
    create_policy("devices", aws=aws)
    for n in range(4):
        add_policy_statements("devices", statements(f"t/{n}"), aws=aws)
    five = [(str(n), n == 5) for n in range(1, 6)]
    assert versions_of(boto, "devices") == five
    many = statements("x") + permission_statements(
        publish=[f"arn:aws:iot:*:*:topic/fleet/{n:03}/telemetry/long-name" for n in range(40)]
    )
    with pytest.raises(InvalidInput, match="AWS IoT allows at most 2048") as refused:
        add_policy_statements("devices", many, aws=aws)
    assert "wider topic filter" in (refused.value.hint or "")
    assert versions_of(boto, "devices") == five  # none deleted, none made


def test_a_default_version_changed_meanwhile_is_merged_into(aws: AwsSettings, boto: Any) -> None:
    """Another change lands between the read and the create: the new version keeps it."""
    create_policy("devices", aws=aws)
    iot = boto("iot")
    other = json.dumps(
        {**default_document(boto, "devices"), "Statement": statements("other/change")}
    )

    def another_change(report: ProgressReport) -> None:
        if report.done == 1 and len(versions_of(boto, "devices")) == 1:
            iot.create_policy_version(policyName="devices", policyDocument=other, setAsDefault=True)

    added = add_policy_statements(
        "devices", statements("dev/sample"), aws=aws, seen_version="1", progress=another_change
    )
    assert (added.version_id, added.based_on, added.seen_version) == ("3", "2", "1")
    kept = [r for s in default_document(boto, "devices")["Statement"] for r in s["Resource"]]
    assert "arn:aws:iot:*:*:topic/other/change" in kept
    assert "arn:aws:iot:*:*:topic/dev/sample" in kept
