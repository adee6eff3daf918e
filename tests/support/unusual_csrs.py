"""CSRs that cryptography will not make: signed with SHA-1 (it refuses to sign with it), or for
an EC key on a curve it does not know. Assembled in DER here, as an old device would send them."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ECDSA_WITH_SHA1 = "1.2.840.10045.4.1"
P256 = "1.2.840.10045.3.1.7"
SM2 = "1.2.156.10197.1.301"  # the Chinese SM2 curve: cryptography has no such curve


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _length(len(body)) + body


def _oid(dotted: str) -> bytes:
    first, second, *rest = (int(p) for p in dotted.split("."))
    body = bytes([40 * first + second])
    for part in rest:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.append(0x80 | (part & 0x7F))
            part >>= 7
        body += bytes(reversed(chunk))
    return _tlv(0x06, body)


def _request(key: ec.EllipticCurvePrivateKey) -> x509.CertificateSigningRequest:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "old device")])
    return x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())


def sha1_signed_csr(key: ec.EllipticCurvePrivateKey) -> bytes:
    """A DER CSR for `key`, signed (correctly) with ECDSA over SHA-1."""
    info = _request(key).tbs_certrequest_bytes
    signature = key.sign(info, ec.ECDSA(hashes.SHA1()))
    algorithm = _tlv(0x30, _oid(ECDSA_WITH_SHA1))
    return _tlv(0x30, info + algorithm + _tlv(0x03, b"\x00" + signature))


def unknown_curve_csr() -> bytes:
    """A DER CSR whose EC key names the SM2 curve (the P-256 OID swapped, same length)."""
    der = _request(ec.generate_private_key(ec.SECP256R1())).public_bytes(serialization.Encoding.DER)
    return der.replace(_oid(P256), _oid(SM2), 1)
