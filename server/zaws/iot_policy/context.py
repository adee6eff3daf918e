"""What AWS IoT knows about one connection when it evaluates a policy.

The broker builds a `ConnectionContext` once per CONNECT from the client id, the thing the client
id names (only when the presented certificate is attached to it), the certificate itself and the
peer's address. Everything a policy variable or a condition key can read comes from here, so a
policy's decisions for one connection are a pure function of (action, resource).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography import x509

# The attribute names AWS IoT documents for `iot:Certificate.Subject.*` and `.Issuer.*`
# (cert-policy-variables), keyed by their dotted OID. Locality is not among them.
NAME_ATTRIBUTES: dict[str, str] = {
    "2.5.4.46": "DistinguishedNameQualifier",
    "2.5.4.6": "Country",
    "2.5.4.10": "Organization",
    "2.5.4.11": "OrganizationalUnit",
    "2.5.4.8": "State",
    "2.5.4.3": "CommonName",
    "2.5.4.5": "SerialNumber",
    "2.5.4.12": "Title",
    "2.5.4.4": "Surname",
    "2.5.4.42": "GivenName",
    "2.5.4.43": "Initials",
    "2.5.4.65": "Pseudonym",
    "2.5.4.44": "GenerationQualifier",
}
ALT_NAME_KINDS = (
    "RFC822Name",
    "DNSName",
    "DirectoryName",
    "UniformResourceIdentifier",
    "IPAddress",
)
MAX_VALUES = 5  # "Certificate attributes that contain arrays are limited to five items"

Fields = Mapping[str, tuple[str, ...]]  # attribute name -> its values in certificate order


@dataclass(frozen=True)
class ThingInfo:
    """The registry thing named by the client id, given only when the certificate is attached."""

    name: str
    type_name: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ClientCertificate:
    """The certificate fields policy variables read; `from_x509` fills them from a certificate."""

    subject: Fields = field(default_factory=dict)
    issuer: Fields = field(default_factory=dict)
    subject_alt_names: Fields = field(default_factory=dict)
    issuer_alt_names: Fields = field(default_factory=dict)
    serial_number: str | None = None
    certificate_id: str | None = None

    @classmethod
    def from_x509(
        cls, cert: x509.Certificate, certificate_id: str | None = None
    ) -> ClientCertificate:
        from cryptography import x509 as x
        from cryptography.x509.oid import ExtensionOID

        def alt_names(oid: x.ObjectIdentifier) -> Fields:
            try:
                names = cert.extensions.get_extension_for_oid(oid).value
            except x.ExtensionNotFound:
                return {}
            assert isinstance(names, x.SubjectAlternativeName | x.IssuerAlternativeName)
            return _alt_names(names)

        return cls(
            subject=_name_fields(cert.subject),
            issuer=_name_fields(cert.issuer),
            subject_alt_names=alt_names(ExtensionOID.SUBJECT_ALTERNATIVE_NAME),
            issuer_alt_names=alt_names(ExtensionOID.ISSUER_ALTERNATIVE_NAME),
            serial_number=str(cert.serial_number),
            certificate_id=certificate_id,
        )


def _name_fields(name: x509.Name) -> Fields:
    fields: dict[str, list[str]] = {}
    for attribute in name:
        key = NAME_ATTRIBUTES.get(attribute.oid.dotted_string)
        if key is not None:
            value = attribute.value
            fields.setdefault(key, []).append(value if isinstance(value, str) else value.hex())
    return {key: tuple(values[:MAX_VALUES]) for key, values in fields.items()}


def _alt_names(names: x509.SubjectAlternativeName | x509.IssuerAlternativeName) -> Fields:
    from cryptography import x509 as x

    kinds: dict[str, list[str]] = {}
    for general in names:
        if isinstance(general, x.RFC822Name):
            kinds.setdefault("RFC822Name", []).append(general.value)
        elif isinstance(general, x.DNSName):
            kinds.setdefault("DNSName", []).append(general.value)
        elif isinstance(general, x.DirectoryName):
            kinds.setdefault("DirectoryName", []).append(general.value.rfc4514_string())
        elif isinstance(general, x.UniformResourceIdentifier):
            kinds.setdefault("UniformResourceIdentifier", []).append(general.value)
        elif isinstance(general, x.IPAddress):
            kinds.setdefault("IPAddress", []).append(str(general.value))
    return {key: tuple(values[:MAX_VALUES]) for key, values in kinds.items()}


@dataclass(frozen=True)
class ConnectionContext:
    """One connection. `thing` is the thing whose name is `client_id`, if the certificate is
    attached to it; a thing of another name is ignored (AWS takes the thing name from the client
    id, so thing variables exist only when the two are equal)."""

    client_id: str
    thing: ThingInfo | None = None
    certificate: ClientCertificate | None = None
    source_ip: str | None = None

    @property
    def attached_thing(self) -> ThingInfo | None:
        thing = self.thing
        return thing if thing is not None and thing.name == self.client_id else None
