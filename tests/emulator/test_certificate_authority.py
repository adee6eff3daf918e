"""The emulator's root CA: made once, kept private on disk, the same across emulator restarts, and
issuing what TLS peers verify (checked with `openssl verify` and cryptography's verifier)."""

from __future__ import annotations

import ipaddress
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import verification

from zaws.emulator import certificate_authority, control

DEVICE_SUBJECT = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "AWS IoT Certificate")])
ENDPOINT = "a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com"


def openssl_verifies(ca_file: Path, certificate_pem: str, tmp_path: Path, purpose: str) -> bool:
    leaf = tmp_path / "leaf.pem"
    leaf.write_text(certificate_pem)
    done = subprocess.run(
        ["openssl", "verify", "-CAfile", str(ca_file), "-purpose", purpose, str(leaf)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.returncode == 0


def pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def test_the_root_is_made_once_and_its_key_is_private(tmp_path: Path) -> None:
    first = certificate_authority.load_or_create(tmp_path)
    again = certificate_authority.load_or_create(tmp_path)
    assert again.certificate == first.certificate
    assert certificate_authority.ca_file(tmp_path).read_text() == first.certificate_pem
    assert (tmp_path / certificate_authority.CA_KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert "zaws emulator root CA" in first.certificate.subject.rfc4514_string()
    constraints = first.certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.value.ca and constraints.critical
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_a_root_whose_key_is_gone_is_made_again(tmp_path: Path) -> None:
    first = certificate_authority.load_or_create(tmp_path)
    (tmp_path / certificate_authority.CA_KEY_FILE).unlink()
    second = certificate_authority.load_or_create(tmp_path)
    assert second.certificate != first.certificate
    assert certificate_authority.load_or_create(tmp_path).certificate == second.certificate


def test_a_device_certificate_verifies_against_the_root_only(tmp_path: Path) -> None:
    authority = certificate_authority.load_or_create(tmp_path / "ours")
    other = certificate_authority.load_or_create(tmp_path / "other")
    key = ec.generate_private_key(ec.SECP256R1())
    issued = authority.issue_device_certificate(key.public_key(), DEVICE_SUBJECT)
    ca_file = certificate_authority.ca_file(tmp_path / "ours")
    assert openssl_verifies(ca_file, pem(issued), tmp_path, "sslclient")
    other_file = certificate_authority.ca_file(tmp_path / "other")
    assert not openssl_verifies(other_file, pem(issued), tmp_path, "sslclient")
    assert authority.issued(issued) and not other.issued(issued)
    assert issued.subject == DEVICE_SUBJECT and issued.public_key() == key.public_key()
    assert issued.not_valid_after_utc == datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_the_server_certificate_is_for_the_endpoint_and_chains_to_the_root(tmp_path: Path) -> None:
    authority = certificate_authority.load_or_create(tmp_path)
    server = authority.issue_server_certificate([ENDPOINT, "127.0.0.1"])
    certificate = x509.load_pem_x509_certificate(server.certificate_pem.encode())
    key = serialization.load_pem_private_key(server.private_key_pem.encode(), password=None)
    assert key.public_key() == certificate.public_key()
    store = verification.Store([authority.certificate])
    for name in (x509.DNSName(ENDPOINT), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))):
        chain = verification.PolicyBuilder().store(store).build_server_verifier(name)
        assert chain.verify(certificate, [])[-1] == authority.certificate
    elsewhere = x509.DNSName("other-ats.iot.us-east-1.amazonaws.com")
    with pytest.raises(verification.VerificationError):
        verification.PolicyBuilder().store(store).build_server_verifier(elsewhere).verify(
            certificate, []
        )
    assert openssl_verifies(
        certificate_authority.ca_file(tmp_path), server.certificate_pem, tmp_path, "sslserver"
    )
    with pytest.raises(ValueError):
        authority.issue_server_certificate([])


def test_the_root_survives_an_emulator_restart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ca_file = certificate_authority.ca_file(control.emulator_dir(home))
    try:
        url = control.start(home).url
        root = ca_file.read_text()
        made = iot_client(url).create_keys_and_certificate(setAsActive=True)
        control.stop(home)
        url = control.start(home).url
        assert ca_file.read_text() == root
        kept = iot_client(url).describe_certificate(certificateId=made["certificateId"])
        assert kept["certificateDescription"]["certificatePem"] == made["certificatePem"]
        assert openssl_verifies(ca_file, made["certificatePem"], tmp_path, "sslclient")
        after = iot_client(url).create_keys_and_certificate(setAsActive=True)
        assert openssl_verifies(ca_file, after["certificatePem"], tmp_path, "sslclient")
    finally:
        control.stop(home)


def iot_client(url: str | None) -> Any:
    return boto3.client(
        "iot",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
