"""Projects laid out on disk as the original toolchain writes them, with real keys and
certificates, for the checks that read the project (no AWS involved)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ENDPOINT = "abc123-ats.iot.us-east-1.amazonaws.com"
ARN_PREFIX = "arn:aws:iot:us-east-1:123456789012:cert/"


@dataclass(frozen=True)
class Credentials:
    certificate: bytes
    private_key: bytes
    certificate_id: str

    @property
    def arn(self) -> str:
        return ARN_PREFIX + self.certificate_id


def make_credentials(valid_days: float = 365, expired: bool = False) -> Credentials:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AWS IoT Certificate")])
    now = datetime.now(UTC)
    start = now - timedelta(days=400) if expired else now - timedelta(days=1)
    end = now - timedelta(days=1) if expired else now + timedelta(days=valid_days)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    return Credentials(
        certificate=cert.public_bytes(serialization.Encoding.PEM),
        private_key=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ),
        certificate_id=hashlib.sha256(der).hexdigest(),
    )


class ProjectOnDisk:
    """A project folder; `add_thing` and `activate` write files as the original does."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.credentials: dict[str, Credentials] = {}
        root.mkdir(parents=True, exist_ok=True)
        self.write_config({"endpoint": ENDPOINT, "policy_name": "device-policy"})

    @property
    def config_path(self) -> Path:
        return self.root / "thing.conf.json"

    def write_config(self, config: dict[str, object]) -> str:
        text = json.dumps(config, indent=4)
        self.config_path.write_text(text)
        return text

    def add_thing(self, name: str, credentials: Credentials | None = None) -> Credentials:
        creds = credentials or make_credentials()
        folder = self.root / ".aws_things_resources" / name
        folder.mkdir(parents=True, exist_ok=True)
        record = {"mqttid": name, "thingname": name, "cert_arn": creds.arn}
        (folder / "thing.conf.json").write_text(json.dumps(record))
        (folder / "certificate.pem.crt").write_bytes(creds.certificate)
        (folder / "private.pem.key").write_bytes(creds.private_key)
        self.credentials[name] = creds
        return creds

    def activate(self, name: str, base: str = "dev", index: int = 0, last: int = 0) -> str:
        creds = self.credentials[name]
        (self.root / "certificate.pem.crt").write_bytes(creds.certificate)
        (self.root / "private.pem.key").write_bytes(creds.private_key)
        zawsconf = {"thing_base_name": base, "last_thing_id": last, "active_thing_id": index}
        (self.root / ".zawsconf").write_text(json.dumps(zawsconf))
        return self.write_config(
            {
                "endpoint": ENDPOINT,
                "policy_name": "device-policy",
                "thingname": name,
                "mqttid": name,
                "cert_arn": creds.arn,
            }
        )


@pytest.fixture
def disk_project(tmp_path: Path) -> ProjectOnDisk:
    return ProjectOnDisk(tmp_path / "proj")


@pytest.fixture
def active_project(disk_project: ProjectOnDisk) -> ProjectOnDisk:
    """Things dev_0 and dev_1, dev_0 active."""
    disk_project.add_thing("dev_0")
    disk_project.add_thing("dev_1")
    disk_project.activate("dev_0", last=1)
    return disk_project
