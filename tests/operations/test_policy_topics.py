"""Application topics for the device policy: what a device could use is accepted, the rest refused
with what to pass instead; filters become the statements AWS IoT matches them with."""

from __future__ import annotations

import pytest

from zaws.errors import InvalidInput
from zaws.operations.policy_topics import (
    TOPIC,
    TOPICFILTER,
    application_statements,
    check_topic,
)


@pytest.mark.parametrize("topic", ["dev/sample", "sensors", "dev/#", "+/alerts", "a/+/c/#"])
def test_topics_and_filters_a_device_can_use_are_accepted(topic: str) -> None:
    assert check_topic(topic) == topic


@pytest.mark.parametrize(
    ("topic", "reason"),
    [
        ("", "empty"),
        ("$aws/things/x/shadow/update", "reserved"),
        ("dev/*", "wildcards in a policy"),
        ("dev/sam?le", "wildcards in a policy"),
        ("dev/#/more", "# must be a whole level and the last"),
        ("dev/a#", "# must be a whole level"),
        ("dev/a+", r"\+ must be a whole level"),
        ("/".join("abcdefghi"), "at most 8 levels"),
        ("t" * 257, "at most 256 bytes"),
    ],
)
def test_topics_a_device_cannot_use_are_refused_with_the_reason(topic: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason) as refused:
        check_topic(topic)
    assert refused.value.hint and "dev/sample" in refused.value.hint


def test_publishing_and_subscribing_get_their_own_resources() -> None:
    statements = application_statements(["dev/sample"], ["dev/#"])
    by_action = {s["Action"][0]: s["Resource"] for s in statements}
    assert by_action == {
        "iot:Publish": [f"{TOPIC}/dev/sample"],
        "iot:Receive": [f"{TOPIC}/dev/*"],
        "iot:Subscribe": [f"{TOPICFILTER}/dev/#"],
    }
    assert all(s["Effect"] == "Allow" and "Sid" not in s for s in statements)


def test_nothing_asked_gives_no_statement_and_a_sid_is_letters_only() -> None:
    assert application_statements([], []) == []
    sids = [s["Sid"] for s in application_statements(["a"], ["a"], sid="Extra")]
    assert sids == ["ExtraPublish", "ExtraReceive", "ExtraSubscribe"]
    assert all(sid.isalnum() for sid in sids)
