"""main.py's topics decided against policies: what is refused, the warning's words, the fix."""

from __future__ import annotations

import json
from typing import Any

from zaws.checks.device_topics import THING, TopicUse, jobs_uses, topic_uses
from zaws.checks.jsonscan import ObjectNode, parse
from zaws.checks.topic_permissions import (
    CODE,
    FetchedPolicy,
    fix,
    message,
    refusals,
    topic_findings,
)
from zaws.operations.create_policy import device_policy_document

ARN = "arn:aws:iot:us-east-1:123456789012:policy/zerynth-devices"


def policy(document: dict[str, Any], name: str = "zerynth-devices") -> FetchedPolicy:
    return FetchedPolicy(name, ARN.replace("zerynth-devices", name), json.dumps(document), "1")


def zaws_policy(*topics: str) -> FetchedPolicy:
    return policy(device_policy_document(topics))


def publish(topic: str, line: int = 1) -> TopicUse:
    return TopicUse("publish", topic, line)


def test_the_templates_own_and_the_librarys_topics_are_allowed_by_create_policys() -> None:
    uses = topic_uses("thing.update_shadow({})\nthing.on_shadow_request(cb)\n")
    uses += jobs_uses(4, "the jobs (Jobs)")
    uses += [publish(f"{THING}/samples"), TopicUse("subscribe", f"{THING}/commands", 2)]
    assert len(uses) == 12
    assert refusals(uses, [zaws_policy()], "dev_0", "dev_0") == []


def test_a_topic_outside_the_things_name_is_refused_in_the_words_of_the_issue() -> None:
    [refusal] = refusals([publish("dev/sample", 7)], [zaws_policy()], "dev_0", "dev_0")
    assert refusal.refused == ("publish",)
    assert message(refusal, "dev_0") == (
        "main.py publishes to dev/sample (line 7): policy zerynth-devices does not allow it; "
        "AWS IoT would disconnect the device"
    )
    assert fix(refusal, "zerynth-devices") == {
        "policyName": "zerynth-devices",
        "publish": ["dev/sample"],
        "subscribe": [],
        "receive": [],
    }
    assert refusals([publish("dev/sample")], [zaws_policy("dev/sample")], "dev_0", "dev_0") == []


def test_a_subscription_needs_subscribe_and_receive_and_its_fix_has_both() -> None:
    [refusal] = refusals(
        [TopicUse("subscribe", f"alerts/{THING}", 3)], [zaws_policy()], "dev_0", "dev_0"
    )
    assert refusal.refused == ("subscribe", "receive")
    assert "would refuse the subscription or disconnect the device" in message(refusal, "dev_0")
    assert fix(refusal, "p") == {
        "policyName": "p",
        "publish": [],
        "subscribe": ["alerts/${iot:Connection.Thing.ThingName}"],
        "receive": ["alerts/${iot:Connection.Thing.ThingName}"],
    }


def test_a_subscription_whose_messages_cannot_be_received_says_they_would_be_dropped() -> None:
    subscribe_only = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "*"},
        ],
    }
    [refusal] = refusals(
        [TopicUse("subscribe", "news", 1)], [policy(subscribe_only, "listen")], "dev_0", "dev_0"
    )
    assert refusal.refused == ("receive",)
    assert "policy listen does not allow receiving its messages" in message(refusal, "dev_0")
    wildcard = [TopicUse("subscribe", "news/#", 1)]
    assert refusals(wildcard, [policy(subscribe_only, "listen")], "dev_0", "dev_0") == []


def test_a_deny_is_named_and_gets_no_fix() -> None:
    denying = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "iot:Publish", "Resource": "*"}],
    }
    [refusal] = refusals(
        [publish(f"{THING}/samples")], [zaws_policy(), policy(denying, "lock")], "dev_0", "dev_0"
    )
    assert refusal.denied_by is not None and "lock" in refusal.denied_by
    assert "denies it" in message(refusal, "dev_0") and fix(refusal, "zerynth-devices") is None
    connect_only = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}],
    }
    [two] = refusals([publish("x")], [zaws_policy(), policy(connect_only, "lock")], "d", "d")
    assert "policies zerynth-devices, lock do not allow it" in message(two, "d")


def test_findings_sit_on_policy_name_with_the_fix_as_data() -> None:
    text = json.dumps({"policy_name": "zerynth-devices", "thingname": "dev_0", "mqttid": "dev_0"})
    root = parse(text)
    assert isinstance(root, ObjectNode)
    [finding] = topic_findings(root, [publish("dev/sample")], [zaws_policy()])
    assert finding.code == CODE and int(finding.severity) == 2
    assert text[finding.start : finding.end] == '"zerynth-devices"'
    assert finding.data is not None and finding.data["publish"] == ["dev/sample"]
    assert topic_findings(root, [publish("dev/sample")], []) == []  # no policy fetched


def test_the_fix_names_the_policy_version_its_diagnostic_saw() -> None:
    root = parse(json.dumps({"policy_name": "zerynth-devices", "thingname": "dev_0"}))
    assert isinstance(root, ObjectNode)
    seen = policy(device_policy_document(()))  # version "1"
    [finding] = topic_findings(root, [publish("dev/sample")], [seen])
    assert finding.data is not None and finding.data["policyVersion"] == "1"


def test_a_client_id_other_than_the_thing_name_gets_no_thing_variables() -> None:
    """AWS fills in ${iot:Connection.Thing.ThingName} only when the client id is the name of the
    thing: the device policy's own topics are refused, said why, and offered no fix in terms of
    the variable (it would not help); a topic of no thing still gets its fix."""
    text = {"policy_name": "zerynth-devices", "thingname": "dev_0", "mqttid": "sensor-7"}
    root = parse(json.dumps(text))
    assert isinstance(root, ObjectNode)
    uses = [publish(f"{THING}/samples", 3), publish("dev/sample", 4)]
    own, other = topic_findings(root, uses, [zaws_policy()])
    assert own.message == (
        "main.py publishes to dev_0/samples (line 3): policy zerynth-devices does not allow it "
        "for client id 'sensor-7'; AWS IoT fills in ${iot:Connection.Thing.ThingName} only when "
        "the client id is the thing's name, so set mqttid to 'dev_0'"
    )
    assert own.data is None
    assert other.data is not None and other.data["publish"] == ["dev/sample"]
    assert refusals([publish(f"{THING}/samples")], [zaws_policy()], "dev_0", "dev_0") == []
