"""Remote checks: does AWS agree with thing.conf.json? Run in the background, cached, optional.

The facts (policy exists, the account's data endpoint, the thing exists, the certificate's status,
the device's policy documents, against which topic_permissions checks main.py's topics) are
fetched by a `RemoteProbe` off the editing path and cached per (settings, names); turning
findings into ranges is a pure function over the current text, so a cached answer is placed
correctly even after edits moved the keys.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from zaws.checks.finding import Finding, Severity
from zaws.checks.jsonscan import Member, ObjectNode
from zaws.checks.topic_permissions import FetchedPolicy

MISSING = "MISSING"
T = TypeVar("T")


class RemoteProbe(Protocol):
    """The four AWS questions; each raises on a failed call (network, credentials)."""

    def policy_exists(self, name: str) -> bool: ...

    def data_endpoint(self) -> str: ...

    def thing_exists(self, name: str) -> bool: ...

    def certificate_status(self, certificate_id: str) -> str:
        """'ACTIVE', 'INACTIVE', 'REVOKED', ... or MISSING."""
        ...

    def device_policies(
        self, policy_name: str, certificate_id: str | None
    ) -> tuple[FetchedPolicy, ...]:
        """The policy named and those attached to the certificate (those that exist)."""
        ...


@dataclass(frozen=True)
class RemoteQuery:
    """What to ask: the names in the document (None: not asked)."""

    policy: str | None
    thing: str | None
    certificate_id: str | None

    @classmethod
    def from_document(cls, root: ObjectNode) -> RemoteQuery:
        arn = _text(root, "cert_arn")
        cert_id = arn.rsplit("/", 1)[-1] if arn and "/" in arn else None
        return cls(_text(root, "policy_name"), _text(root, "thingname"), cert_id)


@dataclass(frozen=True)
class RemoteFacts:
    """What AWS said; None where the question was not asked or the call failed."""

    policy_exists: bool | None = None
    data_endpoint: str | None = None
    thing_exists: bool | None = None
    certificate_status: str | None = None
    policies: tuple[FetchedPolicy, ...] | None = None


def gather(probe: RemoteProbe, query: RemoteQuery) -> RemoteFacts:
    """Ask every question; a failed call leaves its fact unknown instead of failing the rest."""
    return RemoteFacts(
        policy_exists=_ask(probe.policy_exists, query.policy),
        data_endpoint=_ask(lambda _: probe.data_endpoint(), ""),
        thing_exists=_ask(probe.thing_exists, query.thing),
        certificate_status=_ask(probe.certificate_status, query.certificate_id),
        policies=_ask(lambda name: probe.device_policies(name, query.certificate_id), query.policy),
    )


def remote_findings(root: ObjectNode, facts: RemoteFacts) -> list[Finding]:
    findings = []
    policy = _member(root, "policy_name")
    if policy is not None and facts.policy_exists is False:
        message = f"The policy {policy.node.value!r} does not exist in this account and region"
        findings.append(_on(policy, Severity.ERROR, "remote-policy-missing", message))
    endpoint = _member(root, "endpoint")
    if endpoint is not None and facts.data_endpoint and endpoint.node.value != facts.data_endpoint:
        message = f"This account's data endpoint is {facts.data_endpoint}"
        findings.append(_on(endpoint, Severity.ERROR, "remote-endpoint-foreign", message))
    thing = _member(root, "thingname")
    if thing is not None and facts.thing_exists is False:
        message = f"The thing {thing.node.value!r} no longer exists in AWS IoT"
        findings.append(_on(thing, Severity.ERROR, "remote-thing-missing", message))
    arn = _member(root, "cert_arn")
    status = facts.certificate_status
    if arn is not None and status is not None and status != "ACTIVE":
        message = (
            "The certificate no longer exists in AWS IoT"
            if status == MISSING
            else f"The certificate is {status} in AWS IoT: devices cannot connect with it"
        )
        findings.append(_on(arn, Severity.ERROR, "remote-certificate-inactive", message))
    return findings


class RemoteCache:
    """Facts per (settings key, query), fresh for `ttl` seconds; one fetch at a time per key."""

    def __init__(self, ttl: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._facts: dict[tuple[str, RemoteQuery], tuple[float, RemoteFacts]] = {}
        self._pending: set[tuple[str, RemoteQuery]] = set()

    def get(self, settings_key: str, query: RemoteQuery) -> RemoteFacts | None:
        with self._lock:
            entry = self._facts.get((settings_key, query))
        return entry[1] if entry else None

    def needs_fetch(self, settings_key: str, query: RemoteQuery) -> bool:
        """True (and marks it pending) when the caller should fetch this query now."""
        key = (settings_key, query)
        with self._lock:
            if key in self._pending:
                return False
            entry = self._facts.get(key)
            if entry is not None and self._clock() - entry[0] < self.ttl:
                return False
            self._pending.add(key)
            return True

    def store(self, settings_key: str, query: RemoteQuery, facts: RemoteFacts) -> None:
        key = (settings_key, query)
        with self._lock:
            self._pending.discard(key)
            self._facts[key] = (self._clock(), facts)

    def abandon(self, settings_key: str, query: RemoteQuery) -> None:
        with self._lock:
            self._pending.discard((settings_key, query))

    def clear(self) -> None:
        with self._lock:
            self._facts.clear()


def _ask(question: Callable[[str], T], argument: str | None) -> T | None:
    if argument is None:
        return None
    try:
        return question(argument)
    except Exception:  # remote checks are advice: a failed call is an unknown, not an error
        return None


def _text(root: ObjectNode, key: str) -> str | None:
    member = _member(root, key)
    return member.node.value if member else None


def _member(root: ObjectNode, key: str) -> Member | None:
    member = root.member(key)
    if member is None or not isinstance(member.node.value, str) or not member.node.value.strip():
        return None
    return member


def _on(member: Member, severity: Severity, code: str, message: str) -> Finding:
    return Finding(member.node.start, member.node.end, severity, code, message)
