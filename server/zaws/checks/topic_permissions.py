"""main.py's topics against the active thing's policies, evaluated with zaws.iot_policy.

AWS IoT disconnects a device that publishes where its policies do not allow it, refuses (or
disconnects on) such a subscription, and silently drops the messages it may not receive: found
only on a flashed device. The remote checks fetch the policies (the one `policy_name` names and
those attached to the active thing's certificate, evaluated together as AWS evaluates every policy
of a connection); this module decides each request main.py would make for the active thing and
reports a warning on `policy_name` per refused topic. A refusal no Deny causes carries the
permissions that would fix it (`fix`), which the language server's code action adds to the policy:
the thing's name as `${iot:Connection.Thing.ThingName}`, so the fix holds for every thing.

AWS fills in the `iot:Connection.Thing.*` variables only when the client id is the name of a thing
attached to the certificate, so the thing is given to the evaluator only when thing.conf.json's
mqttid is its thingname. Otherwise a topic built from the thing's name is refused wherever the
policy names it with the variable, the warning says why, and no fix is offered: more statements in
terms of the variable would not help, an mqttid equal to the thing's name would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zaws.checks.device_topics import JOB, THING, TopicUse
from zaws.checks.finding import Finding, Severity
from zaws.checks.jsonscan import Member, ObjectNode

CODE = "policy-topic-refused"
THING_VARIABLE = "${iot:Connection.Thing.ThingName}"


@dataclass(frozen=True)
class FetchedPolicy:
    """A policy as AWS answered it: name, ARN (region and account of the requests), document."""

    name: str
    arn: str
    document: str
    version: str | None = None


@dataclass(frozen=True)
class Refusal:
    use: TopicUse
    refused: tuple[str, ...]  # of "publish", "subscribe", "receive"
    policies: tuple[str, ...]
    denied_by: str | None = None  # a Deny statement's label: no Allow added can fix it
    other_client_id: str | None = None  # the client id, when not the thing's name (no variables)


def refusals(
    uses: list[TopicUse], policies: list[FetchedPolicy], thing: str, client_id: str
) -> list[Refusal]:
    """Each use with the requests the policies refuse for this thing; [] without policies."""
    from zaws.iot_policy import (
        Authorizer,
        ConnectionContext,
        IotArns,
        MalformedPolicy,
        ThingInfo,
        compile_policy,
    )

    if not policies:
        return []
    try:
        compiled = [compile_policy(p.name, p.document, p.version) for p in policies]
    except MalformedPolicy:
        return []  # AWS stores only valid documents; a foreign one is not ours to judge
    _, _, _, region, account, *_ = (policies[0].arn.split(":") + [""] * 6)[:6]
    arns = IotArns(region or "us-east-1", account or "123456789012")
    named = client_id == thing  # else AWS fills in no iot:Connection.Thing.* variable
    auth = Authorizer(compiled, ConnectionContext(client_id, ThingInfo(thing) if named else None))
    other = None if named else client_id
    found = []
    for use in uses:
        topic = use.topic_for(thing)
        requests = {"publish": arns.publish(topic)} if use.action == "publish" else {}
        if use.action == "subscribe":
            requests["subscribe"] = arns.subscribe(topic)
            if "+" not in topic and "#" not in topic:
                requests["receive"] = arns.receive(topic)
        decisions = {kind: auth.check_request(r) for kind, r in requests.items()}
        refused = tuple(kind for kind, d in decisions.items() if not d.allowed)
        if refused:
            deny = next((d for d in decisions.values() if d.explicit_deny), None)
            label = deny.statement.label() if deny and deny.statement else None
            found.append(Refusal(use, refused, tuple(p.name for p in policies), label, other))
    return found


def message(refusal: Refusal, thing: str) -> str:
    use = refusal.use
    who = f"main.py's {use.feature}" if use.feature else "main.py"
    verb = "publishes to" if use.action == "publish" else "subscribes to"
    names = ", ".join(refusal.policies)
    policy = f"policy {names}" if len(refusal.policies) == 1 else f"policies {names}"
    head = f"{who} {verb} {use.shown(thing)} (line {use.line})"
    if refusal.denied_by is not None:
        return f"{head}: {refusal.denied_by} denies it; AWS IoT would refuse it whatever allows it"
    if _without_thing_variables(refusal):
        return (
            f"{head}: {policy} {_not(refusal)} allow it for client id {refusal.other_client_id!r}; "
            f"AWS IoT fills in {THING_VARIABLE} only when the client id is the thing's name, so "
            f"set mqttid to {thing!r}"
        )
    if use.action == "publish":
        return f"{head}: {policy} {_not(refusal)} allow it; AWS IoT would disconnect the device"
    if refusal.refused == ("receive",):
        return (
            f"{head}: {policy} {_not(refusal)} allow receiving its messages; AWS IoT would drop "
            "them and the device would never get one"
        )
    return (
        f"{head}: {policy} {_not(refusal)} allow it; AWS IoT would refuse the subscription or "
        "disconnect the device"
    )


def _without_thing_variables(refusal: Refusal) -> bool:
    """A topic built from the thing's name, for a client id that is not the thing's name."""
    return refusal.other_client_id is not None and THING in refusal.use.topic


def _not(refusal: Refusal) -> str:
    return "does not" if len(refusal.policies) == 1 else "do not"


def fix(refusal: Refusal, policy_name: str) -> dict[str, Any] | None:
    """The permissions to add to `policy_name` (the code action's argument); None for a Deny
    or for a topic of the thing's name whose client id is not that name."""
    if refusal.denied_by is not None or _without_thing_variables(refusal):
        return None
    topic = refusal.use.topic.replace(THING, THING_VARIABLE).replace(JOB, "*")
    receive = "/".join("*" if level in {"+", "#"} else level for level in topic.split("/"))
    wanted = {
        "publish": [topic] if "publish" in refusal.refused else [],
        "subscribe": [topic] if "subscribe" in refusal.refused else [],
        "receive": [receive] if "receive" in refusal.refused else [],
    }
    return {"policyName": policy_name, **wanted}


def topic_findings(
    root: ObjectNode, uses: list[TopicUse], policies: list[FetchedPolicy]
) -> list[Finding]:
    """Warnings on `policy_name` for main.py's refused topics, for the document's thing."""
    policy = _string_member(root, "policy_name")
    thing = _string_member(root, "thingname")
    if policy is None or thing is None or not uses:
        return []
    client = _string_member(root, "mqttid")
    thing_name = thing.node.value
    client_id = client.node.value if client is not None else thing_name
    seen = next((p.version for p in policies if p.name == policy.node.value), None)
    findings = []
    for refusal in refusals(uses, policies, thing_name, client_id):
        data = fix(refusal, policy.node.value)
        if data is not None and seen is not None:
            data["policyVersion"] = seen  # the version the quick fix adds to, as it was seen
        findings.append(
            Finding(
                policy.node.start,
                policy.node.end,
                Severity.WARNING,
                CODE,
                message(refusal, thing_name),
                data,
            )
        )
    return findings


def _string_member(root: ObjectNode, key: str) -> Member | None:
    member = root.member(key)
    if member is None or not isinstance(member.node.value, str) or not member.node.value.strip():
        return None
    return member
