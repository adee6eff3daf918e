"""The job document checks, S3 URL mapping and the IAM policy evaluator (no AWS needed)."""

from __future__ import annotations

from typing import Any

import pytest

from zaws.operations.fota_document import (
    S3Location,
    build_document,
    check_document,
    s3_location,
    s3_url,
)
from zaws.operations.fota_iam import allows, statements, trusts_service

GOOD = build_document("0" * 32, 10, 1, s3_url("fw", "eu-west-1", "dev_0/fota-1-a-bc"))
OBJECT = "arn:aws:s3:::fw/dev_0/fota-1-a-bc"


def test_a_document_built_by_zaws_has_everything_the_device_needs() -> None:
    assert check_document(GOOD) == []


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"operation": "ota"}, "document.operation"),
        ({"bc_idx": -1}, "document.bc_idx"),
        ({"bc_idx": True}, "document.bc_idx"),
        ({"bc_idx": 2}, "document.bc_idx"),
        ({"bc_idx": 10**30}, "document.bc_idx"),
        ({"bc_idx": "1"}, "document.bc_idx"),
        ({"bc_idx": 1.0}, "document.bc_idx"),
        ({"bc_size": 10**30}, "document.bc_size"),
        ({"bc_size": "10"}, "document.bc_size"),
        ({"bc_crc": "ABC"}, "document.bc_crc"),
        ({"bc_size": 0}, "document.bc_size"),
        ({"bc_url": "https://fw.s3.amazonaws.com/k"}, "document.bc_url"),
        ({"bc_url": "${aws:iot:s3-presigned-url:https://example.com/k}"}, "document.bc_url"),
    ],
)
def test_each_bad_field_is_named(change: dict[str, Any], check: str) -> None:
    assert [f.check for f in check_document({**GOOD, **change})] == [check]


def test_both_bytecode_slots_pass() -> None:
    assert check_document({**GOOD, "bc_idx": 0}) == check_document({**GOOD, "bc_idx": 1}) == []


def test_a_huge_value_is_shown_short() -> None:
    (finding,) = check_document({**GOOD, "bc_idx": 10**300})
    assert "0 or 1" in finding.message and len(finding.message) < 120


def test_missing_fields_are_all_reported() -> None:
    assert len(check_document({"operation": "fota"})) == 4
    assert [f.check for f in check_document([1])] == ["document.json"]


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("https://fw.s3.eu-west-1.amazonaws.com/a/b", S3Location("fw", "a/b", "eu-west-1")),
        ("https://fw.s3.amazonaws.com/a/b", S3Location("fw", "a/b", None)),
        ("https://s3.amazonaws.com/fw/a/b", S3Location("fw", "a/b", None)),
        ("https://s3.us-west-2.amazonaws.com/my.fw/a", S3Location("my.fw", "a", "us-west-2")),
        ("https://s3-eu-west-1.amazonaws.com/fw/a", S3Location("fw", "a", "eu-west-1")),
        ("https://s3-fw.s3.us-east-1.amazonaws.com/k", S3Location("s3-fw", "k", "us-east-1")),
        ("http://fw.s3.amazonaws.com/a", None),
        ("https://example.com/fw/a", None),
        ("https://s3.amazonaws.com/fw", None),
    ],
)
def test_s3_urls_map_to_bucket_key_and_region(url: str, location: S3Location | None) -> None:
    assert s3_location(url) == location


def policy(*statement: dict[str, Any]) -> list[dict[str, Any]]:
    return statements({"Version": "2012-10-17", "Statement": list(statement)})


@pytest.mark.parametrize(
    ("policy_statements", "allowed"),
    [
        (
            policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::fw/*"}),
            True,
        ),
        (policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}), True),
        (policy({"Effect": "Allow", "Action": ["S3:Get*"], "Resource": [OBJECT]}), True),
        (
            policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::fw"}),
            False,
        ),
        (policy({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}), False),
        (
            policy(
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::fw/dev_0/*"},
            ),
            False,
        ),
        (policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}), True),
        (policy({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": OBJECT}), False),
        (
            policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::f?/*"}),
            True,
        ),
        ([], False),
    ],
)
def test_the_policy_evaluator(policy_statements: list[dict[str, Any]], allowed: bool) -> None:
    assert allows(policy_statements, "s3:GetObject", OBJECT) is allowed


def test_policy_documents_may_come_as_url_encoded_json() -> None:
    encoded = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%7D%5D%7D"
    assert statements(encoded) == [{"Effect": "Allow"}]


@pytest.mark.parametrize(
    ("principal", "trusted"),
    [
        ({"Service": "iot.amazonaws.com"}, True),
        ({"Service": ["lambda.amazonaws.com", "iot.amazonaws.com"]}, True),
        ({"Service": "ec2.amazonaws.com"}, False),
        ({"AWS": "arn:aws:iam::123456789012:root"}, False),
    ],
)
def test_trust_of_aws_iot(principal: dict[str, Any], trusted: bool) -> None:
    document = {
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]
    }
    assert trusts_service(document) is trusted
