"""Plays a device's side of a FOTA job on the emulator, to prove a started job works end to end.

The emulator has no device-side jobs API (no get_pending_job_executions, no update_job_execution)
and never substitutes the `${aws:iot:s3-presigned-url:...}` placeholder. So this plays both parts:
AWS's (find the thing's oldest queued execution, read the job document from its source, replace
the placeholder with a presigned GET URL of the object it names) and the Zerynth device library's
(require operation "fota", bc_idx, bc_crc, bc_size and bc_url, download, check size and MD5, and
reject the update otherwise). Device checks are written here on purpose, not taken from zaws, so
a bug in zaws's own checks cannot hide from them.

It also prepares `FotaStage`: the bucket, role and firmware file that FOTA tests start jobs from.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from zaws.aws.clients import AwsClients
from zaws.aws.settings import AwsSettings
from zaws.operations.firmware import sample_firmware
from zaws.operations.fota_document import s3_location
from zaws.operations.fota_setup import fota_setup

PLACEHOLDER = re.compile(r"^\$\{aws:iot:s3-presigned-url:(https://[^}]+)\}$")
BYTECODE = bytes(range(256)) * 8 + b"zerynth bytecode"


class DeviceRejected(AssertionError):
    """The device library would mark the job FAILED (or never see it)."""


@dataclass(frozen=True)
class DeviceUpdate:
    job_id: str
    bc_idx: int
    bytecode: bytes
    url: str  # the presigned URL the device downloaded


@dataclass(frozen=True)
class FotaStage:
    bucket: str
    role: str
    firmware: Path
    bytecode: bytes


def prepare_stage(aws: AwsSettings, folder: Path, bytecode: bytes = BYTECODE) -> FotaStage:
    done = fota_setup("zaws-firmware", "zaws-fota-role", aws=aws)
    firmware = folder / "firmware.json"
    firmware.write_text(json.dumps(sample_firmware(bytecode, bc_idx=1)))
    return FotaStage(done.bucket, done.role_name, firmware, bytecode)


def play_device(thing: str, *, aws: AwsSettings) -> DeviceUpdate:
    """Fetch, download and check the thing's next FOTA job as AWS and the device would."""
    clients = AwsClients(aws)
    iot = clients.iot
    queued = iot.list_job_executions_for_thing(thingName=thing, status="QUEUED")
    executions = sorted(
        queued.get("executionSummaries", []),
        key=lambda e: e.get("jobExecutionSummary", {}).get("queuedAt", 0),
    )
    if not executions:
        raise DeviceRejected(f"{thing} has no queued job")
    job_id = executions[0]["jobId"]
    document = _job_document(clients, job_id)
    if document.get("operation") != "fota":
        raise DeviceRejected(f"job {job_id} is not a FOTA job: {document!r}")
    missing = [k for k in ("bc_idx", "bc_crc", "bc_size", "bc_url") if k not in document]
    if missing:
        raise DeviceRejected(f"job {job_id} lacks {missing}")
    url = _presigned(clients, str(document["bc_url"]))
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            data = response.read()
    except urllib.error.HTTPError as err:
        raise DeviceRejected(f"download of {url} failed: HTTP {err.code}") from None
    if len(data) != document["bc_size"]:
        raise DeviceRejected(f"size {len(data)} != bc_size {document['bc_size']}")
    if hashlib.md5(data).hexdigest() != document["bc_crc"]:
        raise DeviceRejected(f"MD5 {hashlib.md5(data).hexdigest()} != bc_crc {document['bc_crc']}")
    return DeviceUpdate(job_id=job_id, bc_idx=int(document["bc_idx"]), bytecode=data, url=url)


def _job_document(clients: AwsClients, job_id: str) -> dict[str, object]:
    """AWS's part: the document, inline or from the job's documentSource in S3."""
    inline = clients.iot.get_job_document(jobId=job_id).get("document") or ""
    if not inline:
        source = clients.iot.describe_job(jobId=job_id).get("documentSource")  # beside the job
        location = s3_location(str(source)) if source else None
        if location is None:
            raise DeviceRejected(f"cannot find the document of job {job_id}")
        body = clients.s3().get_object(Bucket=location.bucket, Key=location.key)["Body"]
        inline = body.read().decode()
    document = json.loads(inline)
    if not isinstance(document, dict):
        raise DeviceRejected(f"the document of job {job_id} is not an object")
    return document


def _presigned(clients: AwsClients, bc_url: str) -> str:
    """AWS's part: the placeholder replaced by a presigned GET URL of the object it names."""
    match = PLACEHOLDER.match(bc_url)
    location = s3_location(match.group(1)) if match else None
    if location is None:
        raise DeviceRejected(f"bc_url is not a presigned-URL placeholder: {bc_url!r}")
    return clients.s3(location.region).generate_presigned_url(
        "get_object", Params={"Bucket": location.bucket, "Key": location.key}, ExpiresIn=3600
    )
