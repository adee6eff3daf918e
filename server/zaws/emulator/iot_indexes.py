"""Lookups in the emulator's IoT backend without scanning it: cleaning up 10,000 things is feasible.

moto (5.2) finds a certificate, a thing or a policy by scanning every one of them, lists a thing's
principals by scanning every attachment, and checks that a certificate can be deleted by looking
up the certificate of every attachment (a scan inside a scan): at 10,000 certificates one
DeleteCertificate took 17 s. Here the same methods answer the same results and raise the same
errors in constant time: things, certificates and policies are found by the key moto stores them
under (a thing's ARN follows from its name, a certificate's id ends its ARN), and the two
attachment tables (`principal_things`, `principal_policies`, keyed (principal ARN, thing or
policy name)) index both sides. One answer differs, on purpose: a certificate deleted with
forceDelete loses its policy attachments (moto left them behind, and every later DeleteCertificate
of any certificate then answered ResourceNotFoundException).

moto's tables stay what holds the state: an `Attachments` table is moto's OrderedDict with the
indexes kept inside it on every change whoever makes it, it pickles as a plain OrderedDict (the
saved state does not depend on this module), and a plain table, as moto creates it or a restore
brings it back, is replaced by an indexed copy the first time a lookup needs it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from zaws.emulator.iot_things import existing_thing

Key = tuple[str, str]  # (principal ARN, thing name or policy name)


class Attachments(OrderedDict[Key, Any]):
    """An attachment table indexed by principal and by the thing or policy it is attached to."""

    def __init__(self, items: Iterable[tuple[Key, Any]] = ()) -> None:
        super().__init__()
        self.by_principal: dict[str, dict[Key, None]] = {}
        self.by_target: dict[str, dict[Key, None]] = {}
        for key, value in items:
            self[key] = value

    def __setitem__(self, key: Key, value: Any) -> None:
        super().__setitem__(key, value)
        self.by_principal.setdefault(key[0], {})[key] = None
        self.by_target.setdefault(key[1], {})[key] = None

    def __delitem__(self, key: Key) -> None:
        super().__delitem__(key)
        for index, side in ((self.by_principal, key[0]), (self.by_target, key[1])):
            keys = index[side]
            del keys[key]
            if not keys:
                del index[side]

    def pop(self, key: Key, *default: Any) -> Any:
        if key not in self:
            return super().pop(key, *default)
        value = self[key]
        del self[key]
        return value

    def popitem(self, last: bool = True) -> tuple[Key, Any]:
        key = next(reversed(self)) if last else next(iter(self))
        return key, self.pop(key)

    def setdefault(self, key: Key, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in OrderedDict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> Any:  # type: ignore[misc]
        self.update(other)
        return self

    def clear(self) -> None:
        super().clear()
        self.by_principal.clear()
        self.by_target.clear()

    def of_principal(self, principal_arn: str) -> list[Key]:
        return list(self.by_principal.get(principal_arn, ()))

    def of_target(self, name: str) -> list[Key]:
        return list(self.by_target.get(name, ()))

    def __reduce__(self) -> Any:
        return (OrderedDict, (list(self.items()),))


def attachments(backend: Any, table: str) -> Attachments:
    """`backend.principal_things` or `.principal_policies`, indexed (made so on first use)."""
    current = getattr(backend, table)
    if not isinstance(current, Attachments):
        current = Attachments(current.items())
        setattr(backend, table, current)
    return current


def patch_lookups(backend_class: type | None = None) -> None:
    """Replace the scanning methods of moto's IoTBackend (or of a subclass, for a test)."""
    from moto.iot.exceptions import (
        DeleteConflictException,
        ResourceNotFoundException,
        ThingStillAttached,
    )
    from moto.iot.models import IoTBackend

    patched = backend_class or IoTBackend
    moto_get_principal = IoTBackend._get_principal
    moto_validation_delete = IoTBackend._validation_delete

    def describe_thing(self: Any, thing_name: str) -> Any:
        thing = existing_thing(self, thing_name)
        if thing is None:
            raise ResourceNotFoundException()
        return thing

    def describe_certificate(self: Any, certificate_id: str) -> Any:
        certificate = self.certificates.get(certificate_id)
        if certificate is None or certificate.certificate_id != certificate_id:
            raise ResourceNotFoundException()
        return certificate

    def get_policy(self: Any, policy_name: str) -> Any:
        policy = self.policies.get(policy_name)
        if policy is None or policy.name != policy_name:
            raise ResourceNotFoundException()
        return policy

    def _get_principal(self: Any, principal_arn: str) -> Any:
        if ":cert/" not in principal_arn:
            return moto_get_principal(self, principal_arn)
        certificate = self.certificates.get(principal_arn.rsplit("/", 1)[-1])
        if certificate is None or certificate.arn != principal_arn:
            raise ResourceNotFoundException()
        return certificate

    def _validation_delete(self: Any, cert: Any, force_delete: bool = False) -> None:
        if cert.status == "ACTIVE":
            moto_validation_delete(self, cert, force_delete)  # raises before it scans anything
        if attachments(self, "principal_things").of_principal(cert.arn):
            raise DeleteConflictException(
                f"Things must be detached before deletion (arn: {cert.arn})"
            )
        if attachments(self, "principal_policies").of_principal(cert.arn) and not force_delete:
            raise DeleteConflictException(
                f"Certificate policies must be detached before deletion (arn: {cert.arn})"
            )

    def delete_certificate(self: Any, certificate_id: str, force_delete: bool) -> None:
        certificate = describe_certificate(self, certificate_id)
        _validation_delete(self, certificate, force_delete)
        policies = attachments(self, "principal_policies")
        for key in policies.of_principal(certificate.arn):  # only with forceDelete
            del policies[key]
        del self.certificates[certificate_id]

    def delete_thing(self: Any, thing_name: str) -> None:
        thing = describe_thing(self, thing_name)
        if attachments(self, "principal_things").of_target(thing_name):
            raise ThingStillAttached(thing_name)
        for billing_group in self.billing_groups.values():
            if thing.arn in billing_group.things:
                billing_group.things.remove(thing.arn)
                thing.billing_group_name = None
        del self.things[thing.arn]

    def list_thing_principals(self: Any, thing_name: str) -> list[str]:
        if existing_thing(self, thing_name) is None:
            raise ResourceNotFoundException(
                f"Failed to list principals for thing {thing_name} because the thing does not "
                "exist in your account"
            )
        return [
            principal
            for principal, _ in attachments(self, "principal_things").of_target(thing_name)
        ]

    def list_principal_things(self: Any, principal_arn: str) -> list[str]:
        keys = attachments(self, "principal_things").of_principal(principal_arn)
        return [thing_name for _, thing_name in keys]

    def list_attached_policies(self: Any, target: str) -> list[Any]:
        table = attachments(self, "principal_policies")
        return [table[key][1] for key in table.of_principal(target)]

    def list_policy_principals(self: Any, policy_name: str) -> list[str]:
        keys = attachments(self, "principal_policies").of_target(policy_name)
        return [principal for principal, _ in keys]

    for name, method in (
        ("describe_thing", describe_thing),
        ("describe_certificate", describe_certificate),
        ("get_policy", get_policy),
        ("_get_principal", _get_principal),
        ("_validation_delete", _validation_delete),
        ("delete_certificate", delete_certificate),
        ("delete_thing", delete_thing),
        ("list_thing_principals", list_thing_principals),
        ("list_thing_principals_v2", list_thing_principals),
        ("list_principal_things", list_principal_things),
        ("list_principal_things_v2", list_principal_things),
        ("list_attached_policies", list_attached_policies),
        ("list_principal_policies", list_attached_policies),
        ("list_policy_principals", list_policy_principals),
    ):
        setattr(patched, name, method)
