"""IoT certificates in the emulator as AWS issues them, and the lookup a TLS client is found by.

moto (5.2) signs every certificate with the device's own key under a made-up issuer, and
CreateCertificateFromCsr certifies a new key of its own rather than the CSR's. Here both issue from
the emulator's root (`certificate_authority.py`):
- CreateKeysAndCertificate: moto's RSA-2048 key and `CN=AWS IoT Certificate`, as AWS, signed by the
  root (one EC P-256 signature: cheaper than moto's RSA one);
- CreateCertificateFromCsr: the CSR's own public key and subject. As AWS documents it, the key must
  be RSA of at least 2048 bits or EC on NIST P-256, P-384 or P-521; anything else, a CSR that does
  not parse or whose signature does not verify is InvalidRequestException (400; the messages are
  zaws's, AWS's own wording is not known).
UpdateCertificate refuses to bring a REVOKED certificate back (CertificateStateException), as AWS
does; moto allowed any change. Certificate ids stay the SHA-256 of the DER (`use_valid_cert`, set
in `process.configure_moto`).
Certificates already in a saved state (moto's own) and those registered without a CA stay exactly
as they are: `find_client_certificate` finds them by exact match.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from zaws.emulator.certificate_authority import CertificateAuthority, load_or_create

MIN_RSA_BITS = 2048
CSR_CURVES = (ec.SECP256R1, ec.SECP384R1, ec.SECP521R1)


class CsrRefused(ValueError):
    """A CSR AWS IoT would not certify; the message says why."""


def patch_certificates(folder: Path) -> CertificateAuthority:
    """Make moto's IoT backend issue from the root kept in `folder` (made there if absent)."""
    from moto.iot.exceptions import CertificateStateException, InvalidRequestException
    from moto.iot.models import IoTBackend

    authority = load_or_create(folder)

    def generate_certificate_pem(
        self: Any, domain_name: str, subject: x509.Name, key: rsa.RSAPrivateKey | None = None
    ) -> str:
        # moto's create_keys_and_certificate passes its new key; nothing else calls this once
        # create_certificate_from_csr is replaced, but a new key keeps moto's meaning if it does.
        key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
        certificate = authority.issue_device_certificate(key.public_key(), subject)
        return certificate.public_bytes(serialization.Encoding.PEM).decode()

    def create_certificate_from_csr(self: Any, csr: Any, set_as_active: bool) -> Any:
        try:
            pem = certificate_from_csr(authority, csr)
        except CsrRefused as refused:
            raise InvalidRequestException(str(refused)) from None
        # moto hands the query string's "false" through as a (truthy) string.
        active = set_as_active is True or str(set_as_active).lower() == "true"
        return self.register_certificate(
            pem, ca_certificate_pem=None, set_as_active=active, status="INACTIVE"
        )

    moto_update_certificate = IoTBackend.update_certificate

    def update_certificate(self: Any, certificate_id: str, new_status: str) -> None:
        # AWS: a revoked certificate is revoked for good (moto lets it become ACTIVE again).
        cert = self.describe_certificate(certificate_id)
        if cert.status == "REVOKED" and new_status != "REVOKED":
            raise CertificateStateException("The certificate is revoked.", certificate_id)
        moto_update_certificate(self, certificate_id, new_status)

    setattr(IoTBackend, "_generate_certificate_pem", generate_certificate_pem)  # noqa: B010
    setattr(IoTBackend, "create_certificate_from_csr", create_certificate_from_csr)  # noqa: B010
    setattr(IoTBackend, "update_certificate", update_certificate)  # noqa: B010
    return authority


def certificate_from_csr(authority: CertificateAuthority, csr_pem: object) -> str:
    """The root's PEM certificate for that CSR's key and subject; CsrRefused where AWS refuses."""
    if not isinstance(csr_pem, str) or not csr_pem.strip():
        raise CsrRefused("The certificate signing request is required")
    try:
        csr = x509.load_pem_x509_csr(csr_pem.encode())
        public_key = csr.public_key()
        subject = csr.subject
        signed = csr.is_signature_valid
    except (ValueError, TypeError, UnicodeError) as err:  # cryptography's unsupported keys too
        raise CsrRefused(f"The certificate signing request is not valid: {err}") from None
    if not signed:
        raise CsrRefused("The certificate signing request's signature does not verify")
    if isinstance(public_key, rsa.RSAPublicKey):
        if public_key.key_size < MIN_RSA_BITS:
            raise CsrRefused(
                f"The certificate signing request's RSA key has {public_key.key_size} bits;"
                f" at least {MIN_RSA_BITS} are required"
            )
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        if not isinstance(public_key.curve, CSR_CURVES):
            raise CsrRefused(
                f"The certificate signing request's EC key is on {public_key.curve.name};"
                " NIST P-256, P-384 or P-521 is required"
            )
    else:
        raise CsrRefused("The certificate signing request's key must be RSA or EC")
    certificate = authority.issue_device_certificate(public_key, subject)
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def find_client_certificate(
    backend: Any, der_bytes: bytes, authority: CertificateAuthority
) -> Any | None:
    """The moto certificate (certificate_id, status, ...) a TLS client presented, or None.

    `backend` is one account and region's moto IoT backend. A certificate is found by its id (the
    SHA-256 of its DER) and must be byte for byte the one stored: that is all AWS asks of one
    registered without a CA. One that names the root as its issuer must also verify against it.
    The status (ACTIVE or not) is the caller's to check.
    """
    found = backend.certificates.get(hashlib.sha256(der_bytes).hexdigest())
    if found is None:
        return None
    stored = x509.load_pem_x509_certificate(found.certificate_pem.encode())
    if stored.public_bytes(serialization.Encoding.DER) != der_bytes:
        return None
    if stored.issuer == authority.certificate.subject and not authority.issued(stored):
        return None
    return found
