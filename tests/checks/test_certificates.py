"""Certificate ids as AWS computes them, key matching, expiry, and the cache by mtime."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tests.checks.conftest import make_credentials
from zaws.checks import certificates


def test_certificate_id_is_sha256_of_the_der() -> None:
    creds = make_credentials()
    der = x509.load_pem_x509_certificate(creds.certificate).public_bytes(serialization.Encoding.DER)
    assert certificates.certificate_id(creds.certificate) == hashlib.sha256(der).hexdigest()


def test_a_key_matches_its_own_certificate_only() -> None:
    mine, other = make_credentials(), make_credentials()
    cert = certificates.load_certificate(mine.certificate)
    assert certificates.private_key_public_der(mine.private_key) == cert.public_key_der
    assert certificates.private_key_public_der(other.private_key) != cert.public_key_der


def test_unreadable_files_raise_without_quoting_them() -> None:
    with pytest.raises(certificates.UnreadablePem) as caught:
        certificates.private_key_public_der(b"-----BEGIN PRIVATE KEY-----\nSECRET\n")
    assert "SECRET" not in str(caught.value)
    with pytest.raises(certificates.UnreadablePem):
        certificates.load_certificate(b"junk")


def test_expiry_boundaries() -> None:
    info = certificates.load_certificate(make_credentials(valid_days=100).certificate)
    now = datetime.now(UTC)
    assert certificates.expiry_problem(info, now) is None
    soon = info.not_after - timedelta(days=30)
    problem = certificates.expiry_problem(info, soon)
    assert problem is not None and problem[0] == "certificate-expiring"
    expired = certificates.expiry_problem(info, info.not_after)
    assert expired is not None and expired[0] == "certificate-expired"


def test_reads_are_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "certificate.pem.crt"
    assert certificates.read_certificate(path) is None
    first, second = make_credentials(), make_credentials()
    path.write_bytes(first.certificate)
    info = certificates.read_certificate(path)
    assert info is not None and info.certificate_id == first.certificate_id
    path.write_bytes(second.certificate)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    info = certificates.read_certificate(path)
    assert info is not None and info.certificate_id == second.certificate_id
