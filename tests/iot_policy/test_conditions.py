"""Condition operators as IAM evaluates them, one connection's keys at a time."""

from __future__ import annotations

import pytest

from zaws.iot_policy.conditions import Condition, parse_conditions
from zaws.iot_policy.variables import normalize

KEYS = {
    "iot:clientid": ("dev-1",),
    "aws:sourceip": ("10.1.2.3",),
    "iot:connection.thing.isattached": ("true",),
    "iot:certificate.subject.organization.list": ("Example Corp", "Other"),
    "n": ("5",),
}


def holds(block: dict[str, object], keys: dict[str, tuple[str, ...]] = KEYS) -> bool:
    conditions = parse_conditions(block, variables=True)

    def key(name: str) -> tuple[str, ...] | None:
        return keys.get(normalize(name))

    def variable(name: str) -> str | None:
        found = keys.get(normalize(name))
        return found[0] if found else None

    return all(c.holds(key, variable) for c in conditions)


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ({"StringEquals": {"iot:ClientId": "dev-1"}}, True),
        ({"StringEquals": {"iot:ClientId": ["x", "dev-1"]}}, True),  # values OR
        ({"StringEquals": {"iot:ClientId": "dev-*"}}, False),  # no wildcards in Equals
        ({"StringEquals": {"IOT:CLIENTID": "dev-1"}}, True),  # key names ignore case
        ({"StringEquals": {"iot:ClientId": "DEV-1"}}, False),
        ({"StringEqualsIgnoreCase": {"iot:ClientId": "DEV-1"}}, True),
        ({"StringNotEqualsIgnoreCase": {"iot:ClientId": "DEV-1"}}, False),
        ({"StringNotEquals": {"iot:ClientId": ["x", "y"]}}, True),
        ({"StringNotEquals": {"iot:ClientId": ["x", "dev-1"]}}, False),
        ({"StringLike": {"iot:ClientId": "dev-?"}}, True),
        ({"StringLike": {"iot:ClientId": "d*"}}, True),
        ({"StringNotLike": {"iot:ClientId": "d*"}}, False),
        ({"StringEquals": {"iot:ClientId": "${iot:ClientId}"}}, True),  # variables in values
        ({"Bool": {"iot:Connection.Thing.IsAttached": "true"}}, True),
        ({"Bool": {"iot:Connection.Thing.IsAttached": True}}, True),
        ({"Bool": {"iot:Connection.Thing.IsAttached": "false"}}, False),
        ({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, True),
        ({"IpAddress": {"aws:SourceIp": ["192.168.0.0/16", "10.1.2.3"]}}, True),
        ({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, False),
        ({"IpAddress": {"aws:SourceIp": "not-an-ip"}}, False),
        ({"NumericLessThan": {"n": 6}}, True),
        ({"NumericGreaterThanEquals": {"n": "5"}}, True),
        ({"NumericEquals": {"n": "five"}}, False),
        ({"ArnLike": {"iot:ClientId": "dev-*"}}, True),
        # several operators and keys AND
        (
            {
                "StringEquals": {"iot:ClientId": "dev-1"},
                "Bool": {"iot:Connection.Thing.IsAttached": "false"},
            },
            False,
        ),
        ({"StringEquals": {"iot:ClientId": "dev-1", "aws:SourceIp": "10.1.2.3"}}, True),
    ],
)
def test_operators(block: dict[str, object], expected: bool) -> None:
    assert holds(block) is expected


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ({"StringEquals": {"absent": "x"}}, False),
        ({"StringNotEquals": {"absent": "x"}}, True),  # negated operators hold on absence
        ({"StringNotLike": {"absent": "x"}}, True),
        ({"NotIpAddress": {"absent": "10.0.0.0/8"}}, True),
        ({"Bool": {"absent": "true"}}, False),
        ({"StringEqualsIfExists": {"absent": "x"}}, True),
        ({"StringEqualsIfExists": {"iot:ClientId": "x"}}, False),
        ({"Null": {"absent": "true"}}, True),
        ({"Null": {"absent": "false"}}, False),
        ({"Null": {"iot:ClientId": "false"}}, True),
        ({"Null": {"iot:ClientId": True}}, False),
        ({"ForAllValues:StringEquals": {"absent": "x"}}, True),
        ({"ForAnyValue:StringEquals": {"absent": "x"}}, False),
    ],
)
def test_absent_keys(block: dict[str, object], expected: bool) -> None:
    assert holds(block) is expected


ORG = "iot:Certificate.Subject.Organization.List"


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ({"ForAllValues:StringEquals": {ORG: ["Example Corp", "Other"]}}, True),
        ({"ForAllValues:StringEquals": {ORG: ["Example Corp", "AnyCompany"]}}, False),
        ({"ForAnyValue:StringEquals": {ORG: ["Example Corp", "AnyCompany"]}}, True),
        ({"ForAnyValue:StringEquals": {ORG: ["AnyCompany"]}}, False),
        ({"ForAnyValue:StringLike": {ORG: ["Oth*"]}}, True),
        ({"ForAllValues:StringNotEquals": {ORG: ["AnyCompany"]}}, True),
        ({"ForAllValues:StringNotEquals": {ORG: ["Other"]}}, False),
        ({"ForAnyValue:StringNotEquals": {ORG: ["Other"]}}, True),
        ({"forallvalues:stringequals": {ORG: ["Example Corp", "Other"]}}, True),
    ],
)
def test_multi_valued_keys(block: dict[str, object], expected: bool) -> None:
    assert holds(block) is expected


def test_describe_names_the_operator_key_and_values() -> None:
    (condition,) = parse_conditions(
        {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}, variables=True
    )
    assert isinstance(condition, Condition)
    assert condition.describe() == "Bool iot:Connection.Thing.IsAttached ['true']"
