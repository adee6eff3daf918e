"""The emulator's own root CA: it issues device certificates and the MQTT server's certificate.

AWS IoT signs the certificates it issues with a CA of its own, and devices verify the data endpoint
against Amazon's root. moto has no CA: it signs each certificate with the device's own key under a
made-up issuer, so no TLS peer can verify one. The emulator gets a root of its own instead, made
once (EC P-256) and kept in its folder (`ZAWS_HOME/emulator/`: `root-ca.pem`, which clients trust,
and `root-ca-key.pem`, mode 0600), so that certificates issued before a restart still verify after.

Device certificates look like AWS's: the subject asked for (AWS: `CN=AWS IoT Certificate`), valid
until 2049-12-31 23:59:59 UTC, CA:FALSE, key usage digitalSignature, subject and authority key
identifiers. The server certificate names the host names given (the account's data endpoint).
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT_CA_NAME = x509.Name(
    [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "zaws local AWS emulator"),
        x509.NameAttribute(NameOID.COMMON_NAME, "zaws emulator root CA"),
    ]
)
CA_FILE = "root-ca.pem"
CA_KEY_FILE = "root-ca-key.pem"
DEVICE_NOT_AFTER = datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC)  # what AWS IoT gives its own
ROOT_VALIDITY = timedelta(days=25 * 365)
SERVER_VALIDITY = timedelta(days=397)  # the longest a TLS client accepts; issued at each start

log = logging.getLogger("zaws.emulator")


@dataclass(frozen=True)
class ServerCertificate:
    """A TLS server's certificate and key, PEM; `certificate_pem` is issued by the root."""

    certificate_pem: str
    private_key_pem: str


@dataclass(frozen=True)
class CertificateAuthority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def issue_device_certificate(
        self, public_key: CertificatePublicKeyTypes, subject: x509.Name
    ) -> x509.Certificate:
        """A client certificate for that key and subject, as AWS IoT issues one."""
        now = datetime.now(UTC).replace(microsecond=0)
        return (
            self._leaf(public_key, subject, now, DEVICE_NOT_AFTER)
            .add_extension(
                x509.KeyUsage(True, False, False, False, False, False, False, False, False),
                critical=True,
            )
            .sign(self.key, hashes.SHA256())
        )

    def issue_server_certificate(self, host_names: Sequence[str]) -> ServerCertificate:
        """A TLS server certificate (fresh EC P-256 key) for these DNS names or IP addresses."""
        if not host_names:
            raise ValueError("a server certificate needs at least one host name")
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC).replace(microsecond=0)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host_names[0])])
        certificate = (
            self._leaf(key.public_key(), subject, now, now + SERVER_VALIDITY)
            .add_extension(x509.SubjectAlternativeName(_general_names(host_names)), critical=False)
            .add_extension(
                x509.KeyUsage(True, False, False, False, False, False, False, False, False),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        return ServerCertificate(
            certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
            private_key_pem=key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode(),
        )

    def issued(self, certificate: x509.Certificate) -> bool:
        """Whether this root signed that certificate (issuer name and signature)."""
        try:
            certificate.verify_directly_issued_by(self.certificate)
        except (ValueError, TypeError, InvalidSignature):
            return False
        return True

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    def _leaf(
        self,
        public_key: CertificatePublicKeyTypes,
        subject: x509.Name,
        not_before: datetime,
        not_after: datetime,
    ) -> x509.CertificateBuilder:
        issuer_key_id = x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key())
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(issuer_key_id, critical=False)
        )


def ca_file(folder: Path) -> Path:
    """The root's certificate (PEM) in the emulator's folder: what clients trust."""
    return folder / CA_FILE


def load_or_create(folder: Path) -> CertificateAuthority:
    """The root kept in `folder` (the emulator's, ZAWS_HOME/emulator), made the first time."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _lock(folder):
        existing = _load(folder)
        if existing is not None:
            return existing
        authority = _create()
        key_pem = authority.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_atomically(folder / CA_KEY_FILE, key_pem, 0o600)  # the key first: no root without it
        _write_atomically(ca_file(folder), authority.certificate_pem.encode(), 0o644)
        log.warning("emulator root CA made: %s", ca_file(folder))
        return authority


def _load(folder: Path) -> CertificateAuthority | None:
    certificate_file, key_file = ca_file(folder), folder / CA_KEY_FILE
    if not certificate_file.exists() and not key_file.exists():
        return None
    try:
        certificate = x509.load_pem_x509_certificate(certificate_file.read_bytes())
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    except (OSError, ValueError) as err:
        log.warning("emulator root CA in %s unreadable (%s): making a new one", folder, err)
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != (
        certificate.public_key()
    ):
        log.warning("emulator root CA in %s does not match its key: making a new one", folder)
        return None
    return CertificateAuthority(key=key, certificate=certificate)


def _create() -> CertificateAuthority:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC).replace(microsecond=0)
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(ROOT_CA_NAME)
        .issuer_name(ROOT_CA_NAME)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + ROOT_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CertificateAuthority(key=key, certificate=certificate)


def _general_names(host_names: Sequence[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in host_names:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # O_CREAT's mode passes through the umask
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _lock(folder: Path) -> Iterator[None]:
    """Two processes starting on one folder make one root, not two."""
    with (folder / ".root-ca.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
