"""The policy variables and condition keys of one connection, under AWS IoT's rules.

Two views of the same facts, computed once per connection:
- `variable(name)`: the text `${name}` is replaced with, or None where AWS leaves `${name}` in
  the policy (no such value; a certificate value containing `* $ + ? #` or longer than 1024
  characters; an index past the attribute's values; `.List`, which only conditions read);
- `key(name)`: the values a Condition block compares, a tuple (several for `.List` keys).
Names are matched case-insensitively, except the attribute name inside `Attributes[...]`.
Thing variables exist only when the client id is the name of a thing attached to the
certificate; `iot:Connection.Thing.IsAttached` is then "true", otherwise "false".
"""

from __future__ import annotations

from zaws.iot_policy.context import ClientCertificate, ConnectionContext, Fields

NOT_SUBSTITUTED_CHARS = frozenset("*$+?#")
MAX_SUBSTITUTED_LENGTH = 1024


def normalize(name: str) -> str:
    """Lower-case a variable or key name, keeping the case of a bracketed attribute name."""
    head, bracket, tail = name.partition("[")
    return head.lower() + bracket + tail


class ContextValues:
    """What `${...}` variables and condition keys resolve to for one connection."""

    def __init__(self, context: ConnectionContext) -> None:
        self.context = context
        self._variables: dict[str, str] = {}
        self._keys: dict[str, tuple[str, ...]] = {}
        self._add("iot:ClientId", context.client_id)
        if context.source_ip is not None:
            self._add("aws:SourceIp", context.source_ip)
        thing = context.attached_thing
        self._add("iot:Connection.Thing.IsAttached", "true" if thing else "false")
        if thing is not None:
            self._add("iot:Connection.Thing.ThingName", thing.name)
            if thing.type_name is not None:
                self._add("iot:Connection.Thing.ThingTypeName", thing.type_name)
            for attribute, value in thing.attributes.items():
                self._add(f"iot:Connection.Thing.Attributes[{attribute}]", value)
        if context.certificate is not None:
            self._add_certificate(context.certificate)

    def variable(self, name: str) -> str | None:
        return self._variables.get(normalize(name))

    def key(self, name: str) -> tuple[str, ...] | None:
        return self._keys.get(normalize(name))

    def _add(self, name: str, value: str) -> None:
        self._variables[normalize(name)] = value
        self._keys[normalize(name)] = (value,)

    def _add_certificate(self, cert: ClientCertificate) -> None:
        available: list[str] = []
        for prefix, fields in (
            ("iot:Certificate.Subject", cert.subject),
            ("iot:Certificate.Issuer", cert.issuer),
            ("iot:Certificate.Subject.AlternativeName", cert.subject_alt_names),
            ("iot:Certificate.Issuer.AlternativeName", cert.issuer_alt_names),
        ):
            available += self._add_fields(prefix, fields)
        for name, value in (
            ("iot:Certificate.SerialNumber", cert.serial_number),
            ("iot:CertificateId", cert.certificate_id),
        ):
            if value is not None:
                self._add_certificate_value(name, value)
                available.append(name)
        self._keys[normalize("iot:Certificate.AvailableKeys")] = tuple(available)

    def _add_fields(self, prefix: str, fields: Fields) -> list[str]:
        names = []
        for attribute, values in fields.items():
            if not values:
                continue
            base = f"{prefix}.{attribute}"
            self._add_certificate_value(base, values[0])
            for index, value in enumerate(values):
                self._add_certificate_value(f"{base}.{index}", value)
            self._keys[normalize(f"{base}.List")] = values
            names.append(base)
        return names

    def _add_certificate_value(self, name: str, value: str) -> None:
        self._keys[normalize(name)] = (value,)
        if len(value) <= MAX_SUBSTITUTED_LENGTH and not NOT_SUBSTITUTED_CHARS & set(value):
            self._variables[normalize(name)] = value
