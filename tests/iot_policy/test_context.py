"""The certificate fields policy variables read, taken from a real X.509 certificate."""

from __future__ import annotations

import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from zaws.iot_policy.context import ClientCertificate, ConnectionContext, ThingInfo


def certificate() -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "IoT Devices"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Second Org"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "LightBulb"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "NY"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Albany"),
            x509.NameAttribute(NameOID.COMMON_NAME, "LightBulb Device Cert"),
            x509.NameAttribute(NameOID.DN_QUALIFIER, "Bulb001"),
        ]
    )
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "IoT Devices Primary CA")])
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(0x921285CBB7A5E086)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("bulb.example.com"),
                    x509.RFC822Name("bulb@example.com"),
                    x509.IPAddress(ipaddress.ip_address("10.0.0.7")),
                    x509.UniformResourceIdentifier("urn:bulb:1"),
                ]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )


def test_from_x509_reads_subject_issuer_alt_names_and_serial() -> None:
    fields = ClientCertificate.from_x509(certificate(), certificate_id="c0ffee")
    assert fields.subject["Organization"] == ("IoT Devices", "Second Org")
    assert fields.subject["CommonName"] == ("LightBulb Device Cert",)
    assert fields.subject["State"] == ("NY",)
    assert fields.subject["DistinguishedNameQualifier"] == ("Bulb001",)
    assert "Locality" not in fields.subject  # not one of AWS's documented variables
    assert fields.issuer == {"CommonName": ("IoT Devices Primary CA",)}
    assert fields.subject_alt_names == {
        "DNSName": ("bulb.example.com",),
        "RFC822Name": ("bulb@example.com",),
        "IPAddress": ("10.0.0.7",),
        "UniformResourceIdentifier": ("urn:bulb:1",),
    }
    assert fields.issuer_alt_names == {}
    assert fields.serial_number == str(0x921285CBB7A5E086)
    assert fields.certificate_id == "c0ffee"


def test_values_are_capped_at_five() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"o{i}") for i in range(7)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    assert ClientCertificate.from_x509(cert).subject["Organization"] == tuple(
        f"o{i}" for i in range(5)
    )


def test_the_attached_thing_is_the_one_named_by_the_client_id() -> None:
    thing = ThingInfo("dev-1")
    assert ConnectionContext("dev-1", thing).attached_thing is thing
    assert ConnectionContext("dev-2", thing).attached_thing is None
