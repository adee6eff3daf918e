"""Remote checks: facts become findings on the current text; the cache fetches once per TTL."""

from __future__ import annotations

import json

from zaws.checks.jsonscan import ObjectNode, parse
from zaws.checks.remote import (
    MISSING,
    RemoteCache,
    RemoteFacts,
    RemoteQuery,
    gather,
    remote_findings,
)
from zaws.checks.topic_permissions import FetchedPolicy

ARN = "arn:aws:iot:us-east-1:123456789012:cert/abcdef"
TEXT = json.dumps(
    {
        "endpoint": "mine-ats.iot.us-east-1.amazonaws.com",
        "policy_name": "p",
        "thingname": "dev_0",
        "mqttid": "dev_0",
        "cert_arn": ARN,
    },
    indent=2,
)


def root(text: str = TEXT) -> ObjectNode:
    node = parse(text)
    assert isinstance(node, ObjectNode)
    return node


class FakeProbe:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls: list[str] = []

    def policy_exists(self, name: str) -> bool:
        self.calls.append(f"policy {name}")
        if self.fail:
            raise ConnectionError("offline")
        return False

    def data_endpoint(self) -> str:
        self.calls.append("endpoint")
        return "other-ats.iot.us-east-1.amazonaws.com"

    def thing_exists(self, name: str) -> bool:
        self.calls.append(f"thing {name}")
        return False

    def certificate_status(self, certificate_id: str) -> str:
        self.calls.append(f"certificate {certificate_id}")
        return "INACTIVE"

    def device_policies(
        self, policy_name: str, certificate_id: str | None
    ) -> tuple[FetchedPolicy, ...]:
        self.calls.append(f"policies {policy_name} {certificate_id}")
        return (FetchedPolicy(policy_name, f"arn:aws:iot:us-east-1:1:policy/{policy_name}", "{}"),)


def test_the_query_names_what_the_document_names() -> None:
    assert RemoteQuery.from_document(root()) == RemoteQuery("p", "dev_0", "abcdef")


def test_every_remote_problem_is_placed_on_its_value() -> None:
    facts = gather(FakeProbe(), RemoteQuery.from_document(root()))
    findings = {f.code: TEXT[f.start : f.end] for f in remote_findings(root(), facts)}
    assert findings == {
        "remote-policy-missing": '"p"',
        "remote-endpoint-foreign": '"mine-ats.iot.us-east-1.amazonaws.com"',
        "remote-thing-missing": '"dev_0"',
        "remote-certificate-inactive": json.dumps(ARN),
    }


def test_the_device_policies_are_fetched_for_the_policy_and_the_certificate() -> None:
    probe = FakeProbe()
    facts = gather(probe, RemoteQuery.from_document(root()))
    assert "policies p abcdef" in probe.calls
    assert facts.policies is not None and [p.name for p in facts.policies] == ["p"]
    assert gather(FakeProbe(), RemoteQuery(None, "dev_0", None)).policies is None  # not asked


def test_a_missing_certificate_says_so() -> None:
    [finding] = remote_findings(root(), RemoteFacts(certificate_status=MISSING))
    assert "no longer exists" in finding.message


def test_failed_calls_are_unknowns_not_findings() -> None:
    facts = gather(FakeProbe(fail=True), RemoteQuery("p", None, None))
    assert facts.policy_exists is None
    assert remote_findings(root(), RemoteFacts()) == []


def test_all_agree_means_no_findings() -> None:
    facts = RemoteFacts(True, "mine-ats.iot.us-east-1.amazonaws.com", True, "ACTIVE")
    assert remote_findings(root(), facts) == []


def test_cached_facts_follow_edits() -> None:
    facts = RemoteFacts(policy_exists=False)
    moved = "\n\n" + TEXT
    [finding] = remote_findings(root(moved), facts)
    assert moved[finding.start : finding.end] == '"p"'


def test_cache_fetches_once_per_ttl() -> None:
    now = [0.0]
    cache = RemoteCache(ttl=10, clock=lambda: now[0])
    query = RemoteQuery("p", None, None)
    assert cache.needs_fetch("k", query)
    assert not cache.needs_fetch("k", query)  # pending
    cache.store("k", query, RemoteFacts(policy_exists=True))
    assert cache.get("k", query) == RemoteFacts(policy_exists=True)
    assert not cache.needs_fetch("k", query)
    now[0] = 11
    assert cache.needs_fetch("k", query)
    cache.abandon("k", query)
    assert cache.needs_fetch("other-settings", query)
