"""Who a TLS client is and what its policies let it do, from the emulator's own IoT state.

AWS IoT Core authenticates an MQTT client by its certificate (registered and ACTIVE) and authorizes
every CONNECT, PUBLISH, SUBSCRIBE and delivery with the policies attached to that certificate and
to the groups of the thing the client id names, when the certificate is attached to that thing.
`ConnectionAuthorization` does that for one connection over moto's backend: it finds the
certificate (`iot_certificates.find_client_certificate`), gathers the thing and the policies, and
binds an `iot_policy.Authorizer` to them. Any state-changing control-plane request bumps
`control_plane_generation()`, and the next check then rebuilds everything, so a detached policy or
a deactivated certificate takes effect on the next packet (AWS needs minutes; the emulator is
stricter, which no device can tell from a slow cache). A certificate that is no longer ACTIVE
raises `CertificateNotActive`, on which the broker closes the connection.

A WebSocket client signed with the emulator's own credentials (SigV4) is `AllowEverything`, as the
emulator's control plane allows those credentials everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from cryptography import x509

from zaws.emulator.certificate_authority import CertificateAuthority
from zaws.emulator.iot_certificates import find_client_certificate
from zaws.emulator.iot_indexes import attachments
from zaws.emulator.iot_things import existing_thing
from zaws.emulator.one_at_a_time import control_plane_generation, moto_lock
from zaws.iot_policy import (
    Authorizer,
    ClientCertificate,
    ConnectionContext,
    Decision,
    IotArns,
    MalformedPolicy,
    ThingInfo,
    compile_policy,
)

DEFAULT_ACCOUNT_ID = "123456789012"  # moto.core.DEFAULT_ACCOUNT_ID, without importing moto here


class CertificateNotActive(Exception):
    """The client's certificate is unknown, deleted, or not ACTIVE (INACTIVE, REVOKED...)."""


class Authorization(Protocol):
    """What the broker asks of a connection's identity."""

    principal: str
    region: str
    account_id: str

    @property
    def thing_name(self) -> str | None: ...

    def connect(self) -> Decision: ...
    def publish(self, topic: str) -> Decision: ...
    def retain_publish(self, topic: str) -> Decision: ...
    def subscribe(self, topic_filter: str) -> Decision: ...
    def receive(self, topic: str) -> Decision: ...
    def still_active(self) -> None: ...


def iot_backend(account_id: str, region: str) -> Any:
    from moto.iot.models import iot_backends

    return iot_backends[account_id][region]


@dataclass(frozen=True)
class _Bound:
    generation: int
    authorizer: Authorizer
    thing_name: str | None


class ConnectionAuthorization:
    """One mutual-TLS connection's identity and policies, rebuilt when the control plane changed."""

    def __init__(
        self,
        certificate_der: bytes,
        client_id: str,
        authority: CertificateAuthority,
        region: str,
        account_id: str = DEFAULT_ACCOUNT_ID,
        source_ip: str | None = None,
    ) -> None:
        self.certificate_der = certificate_der
        self.client_id = client_id
        self.authority = authority
        self.account_id = account_id
        self.region = region
        self.source_ip = source_ip
        self.arns = IotArns(region, account_id)
        self.principal = ""
        self._certificate = ClientCertificate.from_x509(
            x509.load_der_x509_certificate(certificate_der)
        )
        self._bound: _Bound | None = None
        self._current()  # raises CertificateNotActive at once for an unusable certificate

    @property
    def thing_name(self) -> str | None:
        return self._current().thing_name

    def connect(self) -> Decision:
        return self._current().authorizer.check_request(self.arns.connect(self.client_id))

    def publish(self, topic: str) -> Decision:
        return self._current().authorizer.check_request(self.arns.publish(topic))

    def retain_publish(self, topic: str) -> Decision:
        return self._current().authorizer.check_request(self.arns.retain_publish(topic))

    def subscribe(self, topic_filter: str) -> Decision:
        return self._current().authorizer.check_request(self.arns.subscribe(topic_filter))

    def receive(self, topic: str) -> Decision:
        return self._current().authorizer.check_request(self.arns.receive(topic))

    def still_active(self) -> None:
        """Raise CertificateNotActive if the certificate can no longer connect."""
        self._current()

    def _current(self) -> _Bound:
        generation = control_plane_generation()
        bound = self._bound
        if bound is not None and bound.generation == generation:
            return bound
        with moto_lock():
            generation = control_plane_generation()
            bound = self._bound = self._build(generation)
        return bound

    def _build(self, generation: int) -> _Bound:
        backend = iot_backend(self.account_id, self.region)
        found = find_client_certificate(backend, self.certificate_der, self.authority)
        if found is None:
            raise CertificateNotActive("the certificate is not registered in AWS IoT")
        if found.status != "ACTIVE":
            raise CertificateNotActive(f"the certificate is {found.status}")
        self.principal = found.certificate_id
        certificate = ClientCertificate(
            subject=self._certificate.subject,
            issuer=self._certificate.issuer,
            subject_alt_names=self._certificate.subject_alt_names,
            issuer_alt_names=self._certificate.issuer_alt_names,
            serial_number=self._certificate.serial_number,
            certificate_id=found.certificate_id,
        )
        thing = _attached_thing(backend, found.arn, self.client_id)
        policies = _policies_of(backend, found.arn)
        if thing is not None:
            for group_arn in _groups_of(backend, thing.arn):
                policies.extend(_policies_of(backend, group_arn))
        info = None
        if thing is not None:
            type_name = thing.thing_type.thing_type_name if thing.thing_type else None
            attributes = {str(k): str(v) for k, v in (thing.attributes or {}).items()}
            info = ThingInfo(thing.thing_name, type_name, attributes)
        context = ConnectionContext(self.client_id, info, certificate, self.source_ip)
        name = thing.thing_name if thing is not None else None
        return _Bound(generation, Authorizer(_unique(policies), context), name)


def _attached_thing(backend: Any, certificate_arn: str, client_id: str) -> Any | None:
    """The thing named like the client id, if this certificate is attached to it."""
    if (certificate_arn, client_id) not in attachments(backend, "principal_things"):
        return None
    return existing_thing(backend, client_id)


def _policies_of(backend: Any, target_arn: str) -> list[Any]:
    table = attachments(backend, "principal_policies")
    compiled = []
    for key in table.of_principal(target_arn):
        policy = backend.policies.get(key[1])
        if policy is None:
            continue
        document = policy.document
        if not isinstance(document, str | bytes):
            document = dict(document)
        try:
            compiled.append(compile_policy(policy.name, document, policy.default_version_id))
        except (MalformedPolicy, ValueError):  # stored by moto, refused by AWS: grants nothing
            continue
    return compiled


def _groups_of(backend: Any, thing_arn: str) -> list[str]:
    """The ARNs of the thing's groups and their ancestors (a parent group's policies apply)."""
    by_name = {group.thing_group_name: group for group in backend.thing_groups.values()}
    found: dict[str, None] = {}
    for group in backend.thing_groups.values():
        if thing_arn not in group.things:
            continue
        current = group
        while current is not None and current.arn not in found:
            found[current.arn] = None
            current = by_name.get(current.parent_group_name) if current.parent_group_name else None
    return list(found)


def _unique(policies: list[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for policy in policies:
        seen.setdefault(id(policy), policy)
    return list(seen.values())


class AllowEverything:
    """An IAM identity on the emulator (SigV4 with its local credentials): everything allowed."""

    @property
    def thing_name(self) -> str | None:
        return None

    def __init__(self, principal: str, client_id: str, region: str, account_id: str) -> None:
        self.principal = principal
        self.client_id = client_id
        self.region = region
        self.account_id = account_id
        self.arns = IotArns(region, account_id)

    def _allowed(self, action: str, resource: str) -> Decision:
        return Decision(True, action, resource, ("emulator credentials",), None)

    def connect(self) -> Decision:
        request = self.arns.connect(self.client_id)
        return self._allowed(request.action, request.resource)

    def publish(self, topic: str) -> Decision:
        request = self.arns.publish(topic)
        return self._allowed(request.action, request.resource)

    def retain_publish(self, topic: str) -> Decision:
        request = self.arns.retain_publish(topic)
        return self._allowed(request.action, request.resource)

    def subscribe(self, topic_filter: str) -> Decision:
        request = self.arns.subscribe(topic_filter)
        return self._allowed(request.action, request.resource)

    def receive(self, topic: str) -> Decision:
        request = self.arns.receive(topic)
        return self._allowed(request.action, request.resource)

    def still_active(self) -> None:
        return None
