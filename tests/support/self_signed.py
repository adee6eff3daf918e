"""Self-signed certificates made here: many certificates for the emulator without moto's RSA keys
(register_certificate_without_ca), a client certificate the account never registered, or a
TLS server's own certificate for an IP address that a client trusts as it is."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def self_signed(
    common_name: str, key: Any = None, *, days: int = 365, server_ip: str | None = None
) -> tuple[Any, str]:
    """(the key, a PEM certificate for it named `common_name`); a new EC P-256 key by default.
    With `server_ip`: a server certificate for that address, its own trust anchor (a CA)."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
    )
    if server_ip is not None:
        address = x509.IPAddress(ipaddress.ip_address(server_ip))
        certificate = certificate.add_extension(
            x509.SubjectAlternativeName([address]), critical=False
        ).add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    signed = certificate.sign(key, hashes.SHA256())
    return key, signed.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(key: Any, form: serialization.PrivateFormat = serialization.PrivateFormat.PKCS8) -> str:
    pem: bytes = key.private_bytes(serialization.Encoding.PEM, form, serialization.NoEncryption())
    return pem.decode()
