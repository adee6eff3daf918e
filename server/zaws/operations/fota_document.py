"""The FOTA job document: what the device library needs, and the presigned-URL placeholder.

The document is `{"operation": "fota", "bc_crc": MD5 hex, "bc_size": bytes, "bc_idx": slot,
"bc_url": "${aws:iot:s3-presigned-url:<https URL of the bytecode>}"}`. AWS substitutes the
placeholder with a presigned GET URL (signed with the job's role) when a device fetches the job.
This module builds documents, checks them, and maps the object URL inside a placeholder back to
its bucket and key, so verification and the tests' device playback can resolve it as AWS would.

The ranges are the device's: a Zerynth VM's flash holds bytecode slots 0 and 1 (the stdlib `fota`
module's layouts; `fota.attempt(bcslot, vmslot)` takes that index), and the library erases
`bc_size` bytes of the slot before downloading, so a size beyond any microcontroller's flash (and
beyond what verification downloads) cannot work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from zaws.operations.fota_findings import Finding, error

PLACEHOLDER = re.compile(r"^\$\{aws:iot:s3-presigned-url:(https://[^}\s]+)\}$")
MD5_HEX = re.compile(r"^[0-9a-f]{32}$")
REGIONAL_HOST = re.compile(r"^s3[.-](?P<region>[a-z0-9-]+)\.amazonaws\.com$")
VIRTUAL_HOST = re.compile(r"^(?P<bucket>.+)\.s3(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com$")
MIN_DURATION_S, MAX_DURATION_S = 60, 3600  # AWS's limits of presignedUrlConfig.expiresInSec
BYTECODE_SLOTS = (0, 1)
MAX_BYTECODE_BYTES = 64 * 1024 * 1024
REMAKE_HINT = "start the job again with `zaws iot-fota-start` (the firmware file is re-read)"


def s3_url(bucket: str, region: str, key: str) -> str:
    """The bucket's regional HTTPS URL (path style for dotted names, which break TLS otherwise)."""
    if "." in bucket:
        return f"https://s3.{region}.amazonaws.com/{bucket}/{key}"
    return f"https://{bucket}.s3.{region}.amazonaws.com/{key}"


def placeholder(url: str) -> str:
    return f"${{aws:iot:s3-presigned-url:{url}}}"


def build_document(md5: str, size: int, bc_idx: int, bytecode_url: str) -> dict[str, Any]:
    return {
        "operation": "fota",
        "bc_crc": md5,
        "bc_size": size,
        "bc_idx": bc_idx,
        "bc_url": placeholder(bytecode_url),
    }


@dataclass(frozen=True)
class S3Location:
    """Where an `https://...amazonaws.com/...` URL points; `region` is None for the global form."""

    bucket: str
    key: str
    region: str | None


def s3_location(url: str) -> S3Location | None:
    """The bucket, key and region named by an S3 HTTPS URL (virtual-hosted or path style)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path).lstrip("/")
    if parts.scheme != "https" or not path:
        return None
    if host == "s3.amazonaws.com" or REGIONAL_HOST.match(host):
        bucket, _, key = path.partition("/")
        regional = REGIONAL_HOST.match(host)
        region = regional.group("region") if regional else None
        return S3Location(bucket, key, region) if bucket and key else None
    virtual = VIRTUAL_HOST.match(host)
    if virtual:
        return S3Location(virtual.group("bucket"), path, virtual.group("region"))
    return None


def bytecode_url(document: dict[str, Any]) -> str | None:
    """The object URL inside the document's placeholder, when there is a well-formed one."""
    match = PLACEHOLDER.match(str(document.get("bc_url", "")))
    return match.group(1) if match else None


def check_document(document: object) -> list[Finding]:
    """Everything the device library needs, each missing or malformed field a finding."""
    if not isinstance(document, dict):
        return [error("document.json", "The job document is not a JSON object", REMAKE_HINT)]
    found: list[Finding] = []
    if document.get("operation") != "fota":
        found.append(
            error(
                "document.operation",
                f"operation is {document.get('operation')!r}, the device library expects 'fota'",
                REMAKE_HINT,
            )
        )
    slot = document.get("bc_idx")
    if not is_bytecode_slot(slot):
        found.append(
            error(
                "document.bc_idx",
                f"bc_idx must be a bytecode slot, 0 or 1, not {shown_value(slot)}",
                REMAKE_HINT,
            )
        )
    if not MD5_HEX.match(str(document.get("bc_crc", ""))):
        found.append(
            error(
                "document.bc_crc",
                f"bc_crc must be the MD5 of the bytecode (32 lowercase hex digits), "
                f"not {document.get('bc_crc')!r}",
                REMAKE_HINT,
            )
        )
    if not _whole(document.get("bc_size"), minimum=1, maximum=MAX_BYTECODE_BYTES):
        found.append(
            error(
                "document.bc_size",
                f"bc_size must be the bytecode's size in bytes (1 to {MAX_BYTECODE_BYTES}), "
                f"not {shown_value(document.get('bc_size'))}",
                REMAKE_HINT,
            )
        )
    url = bytecode_url(document)
    if url is None:
        found.append(
            error(
                "document.bc_url",
                "bc_url must be AWS's placeholder ${aws:iot:s3-presigned-url:https://...}, "
                f"not {document.get('bc_url')!r}",
                REMAKE_HINT,
            )
        )
    elif s3_location(url) is None:
        found.append(
            error(
                "document.bc_url",
                f"The placeholder's URL {url} is not an S3 object URL",
                REMAKE_HINT,
            )
        )
    return found


def is_bytecode_slot(value: object) -> bool:
    """0 or 1 as a JSON integer (not true, 1.0 or "1", which the device compares unequal)."""
    return _whole(value, minimum=BYTECODE_SLOTS[0], maximum=BYTECODE_SLOTS[-1])


def _whole(value: object, *, minimum: int, maximum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum


def shown_value(value: object) -> str:
    """The value as a message shows it: short even when it is a 10**30 or a long string."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."
