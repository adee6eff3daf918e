"""The active thing's top-level certificate and private key, checked with `cryptography`.

An AWS certificate id is the SHA-256 of the certificate's DER encoding, so whether the
certificate on disk is the one `cert_arn` names is decided locally. Parsed files are cached by
(path, mtime, size): diagnostics run on every keystroke.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

EXPIRY_WARNING = timedelta(days=30)


@dataclass(frozen=True)
class CertificateInfo:
    certificate_id: str
    not_after: datetime
    public_key_der: bytes


class UnreadablePem(ValueError):
    """The file is not a PEM certificate or an unencrypted PEM private key."""


def certificate_id(pem: bytes) -> str:
    """The id AWS gives a certificate: SHA-256 hex of its DER encoding."""
    return load_certificate(pem).certificate_id


def load_certificate(pem: bytes) -> CertificateInfo:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError as err:
        raise UnreadablePem("not a PEM certificate") from err
    der = cert.public_bytes(serialization.Encoding.DER)
    public = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return CertificateInfo(hashlib.sha256(der).hexdigest(), cert.not_valid_after_utc, public)


def private_key_public_der(pem: bytes) -> bytes:
    """The DER public key that belongs to a PEM private key."""
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as err:
        # The library's message may quote the file: never pass it on.
        raise UnreadablePem("not an unencrypted PEM private key") from err
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def read_certificate(path: Path) -> CertificateInfo | None:
    """The parsed certificate at `path`, None when the file is missing (cached by mtime/size)."""
    stamp = _stamp(path)
    return None if stamp is None else _cached_certificate(str(path), *stamp)


def read_private_key(path: Path) -> bytes | None:
    """The public key (DER) of the private key at `path`, None when missing (cached)."""
    stamp = _stamp(path)
    return None if stamp is None else _cached_key(str(path), *stamp)


def expiry_problem(info: CertificateInfo, now: datetime) -> tuple[str, str] | None:
    """('certificate-expired' | 'certificate-expiring', message) or None."""
    when = info.not_after.strftime("%Y-%m-%d %H:%M UTC")
    if info.not_after <= now:
        return "certificate-expired", f"The certificate expired on {when}"
    if info.not_after - now <= EXPIRY_WARNING:
        days = (info.not_after - now).days
        return "certificate-expiring", f"The certificate expires in {days} days ({when})"
    return None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=64)
def _cached_certificate(path: str, _mtime: int, _size: int) -> CertificateInfo:
    return load_certificate(Path(path).read_bytes())


@functools.lru_cache(maxsize=64)
def _cached_key(path: str, _mtime: int, _size: int) -> bytes:
    return private_key_public_der(Path(path).read_bytes())
