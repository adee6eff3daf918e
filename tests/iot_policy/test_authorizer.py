"""IAM's decision across every policy given: default deny, an explicit Deny beats any Allow."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from zaws.iot_policy import (
    Authorizer,
    ConnectionContext,
    IotArns,
    ThingInfo,
    compile_policy,
    evaluate,
)
from zaws.iot_policy.authorizer import DECISION_CACHE_SIZE
from zaws.iot_policy.wildcard import glob_match

ARNS = IotArns("eu-west-1", "123456789012")
DEV = ConnectionContext("dev-1", ThingInfo("dev-1"))


def policy(name: str, *statements: dict[str, Any], version: str = "2012-10-17") -> Any:
    return compile_policy(name, {"Version": version, "Statement": list(statements)})


def allow(action: Any, resource: Any, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def test_default_deny_and_no_policies() -> None:
    decision = Authorizer([], DEV).check_request(ARNS.publish("a"))
    assert not decision.allowed and not decision.explicit_deny
    assert "no policy is attached" in decision.reason()
    nothing = Authorizer([policy("p", allow("iot:Publish", "arn:aws:iot:*:*:topic/b"))], DEV)
    assert not nothing.allows("iot:Publish", ARNS.topic("a"))


def test_deny_in_one_policy_beats_allow_in_another() -> None:
    topic = ARNS.topic("dev-1/secret")
    policies = [
        policy("allow-all", allow("iot:*", "*")),
        policy("no-secrets", {**deny("iot:Publish", "arn:aws:iot:*:*:topic/*/secret"), "Sid": "S"}),
    ]
    decision = Authorizer(policies, DEV).check("iot:Publish", topic)
    assert not decision.allowed and decision.explicit_deny
    assert decision.statement is not None
    assert (decision.statement.policy, decision.statement.index, decision.statement.sid) == (
        "no-secrets",
        0,
        "S",
    )
    assert Authorizer(policies, DEV).allows("iot:Publish", ARNS.topic("dev-1/open"))


def test_actions_ignore_case_and_resources_do_not() -> None:
    auth = Authorizer([policy("p", allow("IOT:publish", "arn:aws:iot:*:*:topic/Dev/*"))], DEV)
    assert auth.allows("iot:Publish", ARNS.topic("Dev/x"))
    assert auth.allows("iot:PUBLISH", ARNS.topic("Dev/x"))
    assert not auth.allows("iot:Publish", ARNS.topic("dev/x"))
    assert not auth.allows("iot:Subscribe", ARNS.topicfilter("Dev/x"))


def test_action_wildcards() -> None:
    auth = Authorizer([policy("p", allow(["iot:*"], "*"))], DEV)
    assert all(auth.allows(a, "x") for a in ("iot:Connect", "iot:Receive", "iot:RetainPublish"))
    assert not auth.allows("greengrass:Discover", "x")
    star = Authorizer([policy("p", allow("*", "*"))], DEV)
    assert star.allows("greengrass:Discover", "x")
    question = Authorizer([policy("p", allow("iot:?eceive", "*"))], DEV)
    assert question.allows("iot:Receive", "x") and not question.allows("iot:Publish", "x")


def test_not_action_and_not_resource() -> None:
    auth = Authorizer(
        [
            policy(
                "p",
                {"Effect": "Allow", "NotAction": "iot:Connect", "Resource": "*"},
                {"Effect": "Deny", "Action": "iot:Receive", "NotResource": "arn:*:topic/ok/*"},
            )
        ],
        DEV,
    )
    assert not auth.allows("iot:Connect", ARNS.client("dev-1"))
    assert auth.allows("iot:Publish", ARNS.topic("anything"))
    assert auth.allows("iot:Receive", ARNS.topic("ok/1"))
    assert auth.check("iot:Receive", ARNS.topic("restricted/1")).explicit_deny


def test_variables_are_substituted_per_connection() -> None:
    p = policy("p", allow("iot:Publish", "arn:aws:iot:*:*:topic/${iot:ClientId}/*"))
    one = Authorizer([p], ConnectionContext("one"))
    two = Authorizer([p], ConnectionContext("two"))
    assert one.allows("iot:Publish", ARNS.topic("one/x"))
    assert not one.allows("iot:Publish", ARNS.topic("two/x"))
    assert two.allows("iot:Publish", ARNS.topic("two/x"))


def test_2008_documents_keep_variables_as_text() -> None:
    p = policy(
        "old", allow("iot:Publish", "arn:aws:iot:*:*:topic/${iot:ClientId}"), version="2008-10-17"
    )
    auth = Authorizer([p], ConnectionContext("one"))
    assert not auth.allows("iot:Publish", ARNS.topic("one"))
    assert auth.allows("iot:Publish", ARNS.topic("${iot:ClientId}"))


def test_a_statement_whose_condition_fails_is_named_when_nothing_else_allows() -> None:
    p = policy(
        "p",
        allow(
            "iot:Publish",
            "*",
            Condition={"StringEquals": {"iot:Connection.Thing.ThingTypeName": "sensor"}},
        ),
    )
    decision = Authorizer([p], DEV).check_request(ARNS.publish("t"))
    assert not decision.allowed
    assert decision.unmet and decision.unmet[0].statement.index == 0
    assert "StringEquals iot:Connection.Thing.ThingTypeName ['sensor']" in decision.reason()
    typed = ConnectionContext("dev-1", ThingInfo("dev-1", "sensor"))
    assert Authorizer([p], typed).allows("iot:Publish", ARNS.topic("t"))


def test_a_deny_whose_condition_fails_does_not_deny() -> None:
    p = policy(
        "p",
        allow("iot:Publish", "*"),
        deny("iot:Publish", "*", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
    )
    inside = ConnectionContext("c", source_ip="10.1.1.1")
    outside = ConnectionContext("c", source_ip="192.168.1.1")
    assert not Authorizer([p], inside).allows("iot:Publish", "t")
    assert Authorizer([p], outside).allows("iot:Publish", "t")


def test_decisions_are_cached_and_the_cache_is_bounded() -> None:
    auth = Authorizer([policy("p", allow("iot:Publish", "*"))], DEV)
    first = auth.check("iot:Publish", "t")
    assert auth.check("iot:Publish", "t") is first
    for i in range(DECISION_CACHE_SIZE + 5):
        auth.check("iot:Publish", f"t{i}")
    assert len(auth._decisions) <= DECISION_CACHE_SIZE
    assert auth.check("iot:Publish", "t") == first


def test_evaluate_one_shot() -> None:
    p = policy("p", allow("iot:Connect", "arn:aws:iot:*:*:client/${iot:ClientId}"))
    assert evaluate([p], DEV, "iot:Connect", ARNS.client("dev-1")).allowed


PATTERNS = st.text(alphabet="ab/*?", min_size=1, max_size=5)
STATEMENTS = st.lists(
    st.tuples(st.sampled_from(["Allow", "Deny"]), st.lists(PATTERNS, min_size=1, max_size=3)),
    min_size=1,
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(STATEMENTS, min_size=1, max_size=3), st.text(alphabet="ab/", max_size=6))
def test_deny_always_wins_and_allow_needs_a_match(
    policies: list[list[tuple[str, list[str]]]], resource: str
) -> None:
    compiled = [
        policy(
            f"p{i}",
            *({"Effect": e, "Action": "iot:Publish", "Resource": r} for e, r in statements),
        )
        for i, statements in enumerate(policies)
    ]
    decision = Authorizer(compiled, DEV).check("iot:Publish", resource)
    matching = {
        effect
        for statements in policies
        for effect, resources in statements
        if any(glob_match(r, resource) for r in resources)
    }
    assert decision.allowed == (matching == {"Allow"})
    assert decision.explicit_deny == ("Deny" in matching)
    if decision.statement is not None:
        assert decision.statement.effect == ("Allow" if decision.allowed else "Deny")
