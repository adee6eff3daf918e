"""Decisions said in words: which statement decided, or what nothing allowed and why."""

from __future__ import annotations

from zaws.iot_policy import Authorizer, ConnectionContext, IotArns, ThingInfo, compile_policy
from zaws.iot_policy.decision import Decision, StatementRef

ARNS = IotArns("us-east-1", "123456789012")
CONNECT_OWN = {
    "Version": "2012-10-17",
    "Statement": {
        "Effect": "Allow",
        "Action": "iot:Connect",
        "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
    },
}


def test_refused_connect_reads_as_the_issue_asks() -> None:
    auth = Authorizer([compile_policy("zerynth-devices", CONNECT_OWN)], ConnectionContext("x"))
    decision = auth.check_request(ARNS.connect("x"))
    assert decision.refusal().startswith(
        "policy zerynth-devices does not allow client id x (iot:Connect on client/x)"
    )
    assert "${iot:Connection.Thing.ThingName} has no value" in decision.refusal()
    assert "not the name of a thing attached" in decision.refusal()
    assert decision.reason().startswith(
        "no statement allows iot:Connect on arn:aws:iot:us-east-1:123456789012:client/x"
    )


def test_allowed_and_denied_name_the_statement() -> None:
    allowed = Decision(
        True, "iot:Publish", ARNS.topic("a"), ("p",), StatementRef("p", 1, "Pub", "Allow")
    )
    assert allowed.reason() == (
        "policy p statement 1 (Pub) allows iot:Publish on"
        " arn:aws:iot:us-east-1:123456789012:topic/a"
    )
    assert (
        allowed.refusal()
        == "policy p allows publishing to a (statement 1 (Pub), iot:Publish on topic/a)"
    )
    denied = Decision(
        False,
        "iot:Subscribe",
        ARNS.topicfilter("a/#"),
        ("p", "q"),
        StatementRef("q", 0, None, "Deny"),
    )
    assert (
        denied.refusal()
        == "policy q denies subscribing to a/# (statement 0, iot:Subscribe on topicfilter/a/#)"
    )
    assert denied.reason().startswith("policy q statement 0 denies")


def test_several_policies_and_other_actions() -> None:
    none = Decision(False, "iot:Receive", ARNS.topic("t"), ("a", "b"))
    assert (
        none.refusal()
        == "policies a, b do not allow receiving messages of t (iot:Receive on topic/t)"
    )
    odd = Decision(False, "iot:GetThingShadow", "arn:aws:iot:r:1:thing/t", ("a",))
    assert "iot:GetThingShadow on thing/t" in odd.refusal()
    nobody = Decision(False, "iot:Connect", ARNS.client("c"), ())
    assert (
        nobody.refusal()
        == "no policy is attached, so nothing allows client id c (iot:Connect on client/c)"
    )


def test_unmet_condition_is_in_the_refusal() -> None:
    document = {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Allow",
            "Action": "iot:Connect",
            "Resource": "*",
            "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}},
        },
    }
    auth = Authorizer([compile_policy("p", document)], ConnectionContext("c", ThingInfo("other")))
    text = auth.check_request(ARNS.connect("c")).refusal()
    assert text == (
        "policy p does not allow client id c (iot:Connect on client/c); policy p statement 0 would,"
        " but Bool iot:Connection.Thing.IsAttached ['true'] does not hold"
    )
