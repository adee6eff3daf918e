"""`iot-fota-start`: upload new bytecode to S3 and start an AWS IoT job for a thing to fetch it.

Steps: read and check the firmware file and the duration; check that the thing and the role exist
and find the bucket's region; upload the bytecode and the job document under
`<bucket>/<thing>/fota-<time>-bc` and `-job`; create the job `fota-<thing>-<time>` with the
document as its source and a presigned-URL config (role, validity). The document's `bc_url` holds
AWS's placeholder for a presigned URL of the bytecode, with the bucket's regional URL inside.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput
from zaws.operations.firmware import read_firmware

MIN_DURATION_S, MAX_DURATION_S = 60, 3600
JOB_ID = re.compile(r"[^a-zA-Z0-9_-]")


@dataclass(frozen=True)
class FotaStarted:
    job_id: str
    job_arn: str
    thing_name: str
    bucket: str
    bucket_region: str
    bytecode_key: str
    job_document_key: str
    document: dict[str, Any]
    duration: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def parse_bucket(bucket: str) -> tuple[str, str]:
    """`s3://name/prefix` or `name`: (bucket name, key prefix ending in / or empty)."""
    rest = bucket.removeprefix("s3://").strip("/")
    name, _, prefix = rest.partition("/")
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", name):
        raise InvalidInput(
            f"{bucket!r} is not an S3 bucket name", "pass a bucket as NAME or s3://NAME"
        )
    return name, f"{prefix}/" if prefix else ""


def job_id_for(thing: str, stamp: int) -> str:
    """`fota-<thing>-<time>`, made valid for AWS (64 of [a-zA-Z0-9_-]) whatever the thing name."""
    clean = JOB_ID.sub("-", thing)
    candidate = f"fota-{clean}-{stamp}"
    if len(candidate) <= 64 and clean == thing:
        return candidate
    digest = hashlib.sha256(thing.encode()).hexdigest()[:8]
    room = 64 - len(f"fota--{digest}-{stamp}")
    return f"fota-{clean[:room]}-{digest}-{stamp}"


def s3_url(bucket: str, region: str, key: str) -> str:
    """The bucket's regional HTTPS URL (path style for dotted names, which break TLS otherwise)."""
    if "." in bucket:
        return f"https://s3.{region}.amazonaws.com/{bucket}/{key}"
    return f"https://{bucket}.s3.{region}.amazonaws.com/{key}"


def check_duration(duration: int) -> None:
    if not MIN_DURATION_S <= duration <= MAX_DURATION_S:
        raise InvalidInput(
            f"The URL validity must be between {MIN_DURATION_S} and {MAX_DURATION_S} seconds "
            f"(AWS's limit), not {duration}",
            "pass --duration SECONDS within that range",
        )


def start_fota(
    thing: str,
    firmware: Path,
    bucket: str,
    role: str,
    *,
    duration: int = MAX_DURATION_S,
    aws: AwsSettings,
) -> FotaStarted:
    check_duration(duration)
    image = read_firmware(firmware)
    bucket_name, prefix = parse_bucket(bucket)

    from zaws.aws.clients import AwsClients
    from zaws.aws.errors import aws_errors
    from zaws.operations.aws_lookups import bucket_region, role_arn, thing_arn

    clients = AwsClients(aws)
    target_arn = thing_arn(clients.iot, thing)
    role_arn_value = role_arn(clients.iam, role)
    region = bucket_region(clients.s3(), bucket_name)

    stamp = int(time.time())
    bytecode_key = f"{prefix}{thing}/fota-{stamp}-bc"
    document_key = f"{prefix}{thing}/fota-{stamp}-job"
    document = {
        "operation": "fota",
        "bc_crc": image.md5,
        "bc_size": len(image.bytecode),
        "bc_idx": image.bc_idx,
        "bc_url": f"${{aws:iot:s3-presigned-url:{s3_url(bucket_name, region, bytecode_key)}}}",
    }
    s3 = clients.s3(region)
    with aws_errors(f"uploading the firmware to s3://{bucket_name}"):
        s3.put_object(Bucket=bucket_name, Key=bytecode_key, Body=image.bytecode)
        s3.put_object(
            Bucket=bucket_name,
            Key=document_key,
            Body=json.dumps(document).encode(),
            ContentType="application/json",
        )
    job_id = job_id_for(thing, stamp)
    with aws_errors(f"creating job {job_id}"):
        job = clients.iot.create_job(
            jobId=job_id,
            targets=[target_arn],
            documentSource=s3_url(bucket_name, region, document_key),
            presignedUrlConfig={"roleArn": role_arn_value, "expiresInSec": duration},
            description=f"Zerynth FOTA of {thing} to bytecode slot {image.bc_idx}",
        )
    return FotaStarted(
        job_id=job["jobId"],
        job_arn=job["jobArn"],
        thing_name=thing,
        bucket=bucket_name,
        bucket_region=region,
        bytecode_key=bytecode_key,
        job_document_key=document_key,
        document=document,
        duration=duration,
    )
