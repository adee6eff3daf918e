"""Policies compile once per (name, version, document) and index their statements by action."""

from __future__ import annotations

import json

from zaws.iot_policy.compiled import compile_policy

DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
        {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": "*"},
        {"Effect": "Deny", "NotAction": "iot:Publish", "Resource": "*"},
    ],
}


def test_compiled_once_per_version() -> None:
    first = compile_policy("p", DOCUMENT, "1")
    assert compile_policy("p", json.loads(json.dumps(DOCUMENT)), "1") is first
    assert compile_policy("p", DOCUMENT, "2") is not first
    assert compile_policy("q", DOCUMENT, "1") is not first
    assert compile_policy("p", json.dumps(DOCUMENT), "1").name == "p"


def test_statements_for_an_action() -> None:
    policy = compile_policy("p", DOCUMENT)
    indexes = [s.statement.index for s in policy.statements_for("iot:Receive")]
    assert indexes == [1, 2]
    assert [s.statement.index for s in policy.statements_for("IOT:PUBLISH")] == [1]
    assert [s.statement.index for s in policy.statements_for("iot:Connect")] == [0, 2]
    assert policy.statements_for("iot:Receive") is policy.statements_for("iot:receive")
