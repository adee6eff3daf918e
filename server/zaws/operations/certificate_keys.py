"""Keys made on this machine for AWS IoT certificates: the key types AWS accepts, their CSRs, and
the fingerprint that proves a certificate was made for one of them.

`--keys local` makes each thing's key here and sends only a certificate signing request
(CreateCertificateFromCsr): the private key never leaves the machine. The fingerprint is the
SHA-256 of the public key's SubjectPublicKeyInfo, the same for the key and for any certificate
issued for it, so a certificate whose answer was lost is recognised by its public key alone.
"""

from __future__ import annotations

import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes
from cryptography.x509.oid import NameOID

from zaws.errors import InvalidInput

KEY_TYPES = ("rsa-2048", "ec-p256", "ec-p384")
DEFAULT_LOCAL_KEY_TYPE = "ec-p256"

MadeKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def check_key_type(key_type: str) -> str:
    if key_type not in KEY_TYPES:
        raise InvalidInput(f"Unknown key type {key_type!r}", f"use one of {', '.join(KEY_TYPES)}")
    return key_type


def make_key(key_type: str) -> MadeKey:
    check_key_type(key_type)
    if key_type == "rsa-2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    curve = ec.SECP256R1() if key_type == "ec-p256" else ec.SECP384R1()
    return ec.generate_private_key(curve)


def key_pem(key: MadeKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def load_key(pem: bytes) -> MadeKey:
    key: PrivateKeyTypes = serialization.load_pem_private_key(pem, None)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise InvalidInput("The staged key is neither RSA nor EC", "remove it and run again")
    return key


def csr_pem(key: MadeKey, thing: str) -> str:
    """A CSR for the key, its subject the thing's name (AWS keeps the CSR's subject)."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, thing)])
    request = (
        x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    )
    return request.public_bytes(serialization.Encoding.PEM).decode()


def public_key_fingerprint(public_key: PublicKeyTypes) -> str:
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()
