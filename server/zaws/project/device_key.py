"""`device-key.json`: the note in a thing's folder that its private key lives on the device.

A thing made from a device's CSR (`add-things --csr-dir`) has no `private.pem.key` anywhere in the
project: the key never left the device (a secure element such as the ATECC508A). Its folder holds
this small file instead, so that set-active-thing, the diagnostics, list-things and cleanup know
the key is missing on purpose, and which key the certificate must be for:

    {"key": "on-device", "csr_file": "<the CSR file it came from>",
     "public_key_sha256": "<SHA-256 of the key's SubjectPublicKeyInfo, hex>"}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from zaws.project import layout
from zaws.project.atomic_files import write_json

ON_DEVICE = "on-device"


@dataclass(frozen=True)
class DeviceKey:
    csr_file: str
    public_key_sha256: str


@dataclass(frozen=True)
class DeviceKeyRequest:
    """A device's CSR as a plan keeps it: its file's name, the PEM and its key's fingerprint."""

    file: str
    pem: str
    fingerprint: str


def write_device_key(folder: Path, key: DeviceKey) -> None:
    write_json(
        folder / layout.DEVICE_KEY,
        {"key": ON_DEVICE, "csr_file": key.csr_file, "public_key_sha256": key.public_key_sha256},
    )


def read_device_key(folder: Path) -> DeviceKey | None:
    """The note, or None when there is none or it does not say the key is on the device."""
    try:
        data = json.loads((folder / layout.DEVICE_KEY).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != ON_DEVICE:
        return None
    digest = data.get("public_key_sha256")
    csr_file = data.get("csr_file")
    if not isinstance(digest, str) or not isinstance(csr_file, str):
        return None
    return DeviceKey(csr_file, digest)
