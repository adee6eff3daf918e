"""Checks that need only the text: each finding's code, severity and exact range."""

from __future__ import annotations

import json

import pytest

from zaws.checks.document import check_document
from zaws.checks.finding import Finding, Severity

GOOD = {"endpoint": "abc123-ats.iot.us-east-1.amazonaws.com", "policy_name": "device-policy"}


def findings(text: str, region: str | None = "us-east-1") -> list[Finding]:
    return check_document(text, region)[1]


def only(text: str, code: str, region: str | None = "us-east-1") -> tuple[Finding, str]:
    """The single finding with `code`, and the text it covers."""
    matching = [f for f in findings(text, region) if f.code == code]
    assert len(matching) == 1, findings(text, region)
    return matching[0], text[matching[0].start : matching[0].end]


def doc(**changes: object) -> str:
    config = {**GOOD, **changes}
    return json.dumps({k: v for k, v in config.items() if v is not None}, indent=4)


def test_a_fresh_template_with_values_has_no_findings() -> None:
    assert findings(doc()) == []


def test_invalid_json_points_at_the_error() -> None:
    text = '{\n    "endpoint": "x",\n    "policy_name": \n}'
    finding, _ = only(text, "invalid-json")
    assert finding.severity is Severity.ERROR
    assert text[finding.start] == "}"


def test_not_an_object_covers_the_value() -> None:
    _, covered = only('  ["endpoint"] ', "not-object")
    assert covered == '["endpoint"]'


@pytest.mark.parametrize("key", ["endpoint", "policy_name"])
def test_missing_project_key_marks_the_opening_brace(key: str) -> None:
    text = doc(**{key: None})
    finding, covered = only(text, "missing-key")
    assert covered == "{" and key in finding.message


@pytest.mark.parametrize("key", ["endpoint", "policy_name"])
def test_empty_project_key_marks_the_value(key: str) -> None:
    finding, covered = only(doc(**{key: " "}), "empty-value")
    assert covered == '" "' and finding.severity is Severity.ERROR


@pytest.mark.parametrize("key", ["endpoint", "policy_name", "thingname", "mqttid", "cert_arn"])
def test_known_keys_must_be_strings(key: str) -> None:
    _, covered = only(doc(**{key: 42}), "wrong-type")
    assert covered == "42"


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://abc123-ats.iot.us-east-1.amazonaws.com",
        "abc123-ats.iot.us-east-1.amazonaws.com:8883",
        "abc123-ats.iot.amazonaws.com",
        "example.com",
        "ABC-ats.iot.us-east-1.amazonaws.com",
    ],
)
def test_an_endpoint_that_is_not_a_data_endpoint(endpoint: str) -> None:
    finding, covered = only(doc(endpoint=endpoint), "endpoint-invalid")
    assert covered == json.dumps(endpoint)
    assert finding.severity is Severity.ERROR


def test_a_china_endpoint_is_a_data_endpoint() -> None:
    assert findings(doc(endpoint="abc-ats.iot.cn-north-1.amazonaws.com.cn"), None) == []


def test_a_legacy_endpoint_is_a_warning_on_the_value() -> None:
    finding, covered = only(doc(endpoint="abc123.iot.us-east-1.amazonaws.com"), "endpoint-legacy")
    assert covered == '"abc123.iot.us-east-1.amazonaws.com"'
    assert finding.severity is Severity.WARNING


def test_an_endpoint_in_another_region() -> None:
    finding, covered = only(doc(), "endpoint-region", region="eu-west-1")
    assert "us-east-1" in finding.message and "eu-west-1" in finding.message
    assert covered.startswith('"abc123-ats')


def test_no_region_check_when_the_region_is_unknown() -> None:
    assert findings(doc(), region=None) == []


def test_mqttid_different_from_thingname_marks_mqttid() -> None:
    finding, covered = only(doc(thingname="dev_0", mqttid="dev_1"), "mqttid-not-thingname")
    assert covered == '"dev_1"' and finding.severity is Severity.WARNING


def test_unknown_key_near_a_known_one_says_did_you_mean() -> None:
    text = doc(policy_name=None).replace("{", '{\n    "polcy_name": "p",', 1)
    finding, covered = only(text, "unknown-key")
    assert covered == '"polcy_name"'
    assert "did you mean 'policy_name'" in finding.message
    assert finding.severity is Severity.WARNING


def test_unknown_key_far_from_any_is_information() -> None:
    finding, covered = only(doc(sample_period=5), "unknown-key")
    assert covered == '"sample_period"' and finding.severity is Severity.INFORMATION


def test_duplicate_key_marks_the_second_key() -> None:
    text = (
        '{"endpoint": "a", "policy_name": "p", "endpoint": "abc-ats.iot.us-east-1.amazonaws.com"}'
    )
    finding, _ = only(text, "duplicate-key")
    assert finding.start == text.rindex('"endpoint"')


def test_ranges_count_code_points_after_non_ascii_text() -> None:
    text = '{"note": "😀 é", "endpoint": "bad", "policy_name": "p"}'
    _, covered = only(text, "endpoint-invalid")
    assert covered == '"bad"'
