"""Statements merged into a policy document: into the unconditional Allow with the same actions,
appended otherwise, nothing twice, the given document untouched."""

from __future__ import annotations

import copy
from typing import Any

from zaws.operations.policy_merge import merge_statements

TOPIC = "arn:aws:iot:*:*:topic"


def allow(action: Any, *resources: str, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": list(resources), **extra}


def test_a_resource_joins_the_allow_with_the_same_actions_and_is_not_added_twice() -> None:
    document = {"Version": "2012-10-17", "Statement": [allow("iot:Publish", f"{TOPIC}/a")]}
    original = copy.deepcopy(document)
    merged = merge_statements(document, [allow(["iot:Publish"], f"{TOPIC}/a", f"{TOPIC}/b")])
    assert merged.document["Statement"] == [allow("iot:Publish", f"{TOPIC}/a", f"{TOPIC}/b")]
    assert merged.added == [allow(["iot:Publish"], f"{TOPIC}/b")]
    assert document == original
    assert merge_statements(merged.document, [allow("iot:Publish", f"{TOPIC}/b")]).added == []


def test_a_conditioned_deny_or_wider_statement_is_not_merged_into() -> None:
    condition = {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}
    present = [
        allow("iot:Publish", f"{TOPIC}/a", Condition=condition),
        {"Effect": "Deny", "Action": "iot:Publish", "Resource": f"{TOPIC}/d"},
        allow(["iot:Publish", "iot:Receive"], f"{TOPIC}/e"),
    ]
    new = allow(["iot:Publish"], f"{TOPIC}/b")
    merged = merge_statements({"Statement": present}, [new])
    assert merged.document["Statement"] == [*present, new]
