"""Policy documents: the forms AWS accepts, and a clear error for each malformed one."""

from __future__ import annotations

import json

import pytest

from zaws.iot_policy.document import MalformedPolicy, parse_policy

ALLOW = {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}


def test_statement_as_object_or_list_and_strings_or_lists() -> None:
    one = parse_policy({"Version": "2012-10-17", "Statement": ALLOW})
    listed = parse_policy(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {**ALLOW, "Action": ["iot:Connect"], "Resource": ["*"]},
                    {"Sid": "no", "Effect": "Deny", "NotAction": "iot:*", "NotResource": "x"},
                ],
            }
        )
    )
    assert one.statements[0].actions == listed.statements[0].actions == ("iot:Connect",)
    deny = listed.statements[1]
    assert (deny.index, deny.sid, deny.effect, deny.not_action, deny.not_resource) == (
        1,
        "no",
        "Deny",
        True,
        True,
    )
    assert deny.label == "statement 1 (no)"


def test_versions_and_variables() -> None:
    assert parse_policy({"Version": "2012-10-17", "Statement": ALLOW}).variables
    assert not parse_policy({"Version": "2008-10-17", "Statement": ALLOW}).variables
    absent = parse_policy({"Statement": ALLOW})
    assert absent.version == "2008-10-17" and not absent.variables


def test_bytes_are_accepted() -> None:
    assert parse_policy(json.dumps({"Statement": ALLOW}).encode()).statements


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ("{not json", "not JSON"),
        ([], "JSON object"),
        ({"Version": "2012-10-17"}, "no Statement"),
        ({"Version": "2020-01-01", "Statement": ALLOW}, "Version"),
        ({"Statement": ALLOW, "Extra": 1}, "unknown elements: Extra"),
        ({"Statement": []}, "empty"),
        ({"Statement": ["x"]}, "statement 0 is not an object"),
        ({"Statement": {**ALLOW, "Effect": "allow"}}, "Effect must be Allow or Deny"),
        ({"Statement": {**ALLOW, "NotAction": "iot:Publish"}}, "exactly one of Action"),
        ({"Statement": {"Effect": "Allow", "Action": "iot:Connect"}}, "exactly one of Resource"),
        ({"Statement": {**ALLOW, "Resource": []}}, "Resource must be a non-empty"),
        ({"Statement": {**ALLOW, "Action": [1]}}, "Action must be a non-empty"),
        ({"Statement": {**ALLOW, "Action": "Connect"}}, "not service:name"),
        ({"Statement": {**ALLOW, "Principal": "*"}}, "unsupported elements: Principal"),
        ({"Statement": {**ALLOW, "Sid": 3}}, "Sid must be a string"),
        ({"Statement": {**ALLOW, "Condition": []}}, "Condition must be an object"),
        ({"Statement": {**ALLOW, "Condition": {"StringSortOf": {"k": "v"}}}}, "unsupported"),
        ({"Statement": {**ALLOW, "Condition": {"Maybe:StringEquals": {"k": "v"}}}}, "qualifier"),
        ({"Statement": {**ALLOW, "Condition": {"NullIfExists": {"k": "true"}}}}, "Null takes"),
        ({"Statement": {**ALLOW, "Condition": {"StringEquals": {"k": []}}}}, "no value"),
        ({"Statement": {**ALLOW, "Condition": {"StringEquals": {"k": {"a": 1}}}}}, "values must"),
        ({"Statement": {**ALLOW, "Condition": {"StringEquals": "k"}}}, "must map keys"),
    ],
)
def test_malformed_documents_say_what_is_wrong(document: object, words: str) -> None:
    with pytest.raises(MalformedPolicy) as caught:
        parse_policy(document if isinstance(document, str) else json.dumps(document))
    assert words in caught.value.message
    assert caught.value.code == "zaws.malformedPolicy"


def test_a_second_statement_is_named_in_the_error() -> None:
    with pytest.raises(MalformedPolicy, match="statement 1"):
        parse_policy({"Statement": [ALLOW, {**ALLOW, "Effect": None}]})
