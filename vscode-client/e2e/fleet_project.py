"""The e2e's project with many things, recorded as zaws records them but without AWS.

Making 1,000 things through the emulator takes over a minute (a key pair per thing), so the
records are written here by zaws's own project code, all sharing one self-signed certificate and
key made with `cryptography`; set-active needs only each record's files.

    records STAGING COUNT BASE
        COUNT records `BASE_0` .. written by `ThingProject.record_thing` into
        STAGING/.aws_things_resources (STAGING: outside the workspace, so no watcher sees them
        arrive one by one).
    create PROJECT
        A new project at PROJECT from zaws's template, without things.
    publish PROJECT STAGING BASE
        The records move into the project in one rename, then `.zawsconf` and the first thing
        made active, as add-things leaves a project. Prints the time (Unix ms) of the rename:
        when the project's things changed on disk.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from zaws.checks.certificates import certificate_id
from zaws.operations.create_project import create_project
from zaws.operations.set_active_thing import set_active_thing
from zaws.project import layout
from zaws.project.atomic_files import write_private, write_text
from zaws.project.config_files import ZawsConf
from zaws.project.thing_project import ThingProject

ACCOUNT = "123456789012"
REGION = "eu-west-1"


def certificate_and_key() -> tuple[str, str, str]:
    """A self-signed certificate, its key (PEM) and the ARN AWS would give it (id: DER SHA-256)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "zaws e2e fleet")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    cert_id = certificate_id(cert_pem.encode())
    return cert_pem, key_pem, f"arn:aws:iot:{REGION}:{ACCOUNT}:cert/{cert_id}"


def records(staging: Path, count: int, base: str) -> None:
    cert_pem, key_pem, cert_arn = certificate_and_key()
    staging.mkdir(parents=True)
    project = ThingProject(staging)
    for index in range(count):
        name = f"{base}_{index}"
        folder = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=staging))
        write_private(folder / layout.PRIVATE_KEY, key_pem)
        write_text(folder / layout.CERTIFICATE, cert_pem)
        project.record_thing(name, cert_arn, folder)


def create(project: Path) -> None:
    create_project(
        project.name,
        project.parent,
        endpoint=f"e2e-ats.iot.{REGION}.amazonaws.com",
        policy_name="ZerynthThing",
    )


def publish(project: Path, staging: Path, base: str) -> int:
    things = ThingProject(staging).things()
    moved_at = time.time_ns() // 1_000_000
    os.replace(staging / layout.RESOURCES_DIR, project / layout.RESOURCES_DIR)
    ZawsConf(thing_base_name=base, last_thing_id=len(things) - 1).write(project / layout.ZAWSCONF)
    set_active_thing(project, thing_name=f"{base}_0")
    return moved_at


def main(argv: list[str]) -> int:
    match argv:
        case ["records", staging, count, base]:
            records(Path(staging), int(count), base)
        case ["create", project]:
            create(Path(project))
        case ["publish", project, staging, base]:
            print(publish(Path(project), Path(staging), base))
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
