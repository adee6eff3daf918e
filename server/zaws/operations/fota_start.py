"""`iot-fota-start`: upload new bytecode to S3 and start an AWS IoT job for things to fetch it.

Steps: check the firmware file, the role, the bucket, the duration and the rollout options; resolve
the targets (things, the project's things, or a thing group kept in step with the project) and
check they exist, with the role (a full ARN is used as given, see fota_role) and the bucket's
region; upload the bytecode and the job document under
`<bucket>/<label>/fota-<time>-<random>-bc` and `-job`; create the job
`fota-<label>-<time>-<random>` with the document as its source and a presigned-URL config (role,
validity). The random part makes ids unique even for two starts in the same second (AWS refuses a
duplicate id; the emulator would silently overwrite the first job). Before the job is created the
pre-flight (fota_preflight) checks all that can be checked before; a job devices could not run is
refused and its uploads deleted (a synced group is changed only after), unless `force`. The job
is recorded in the project when one is given, then verified unless asked not to.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import secrets
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, RemoteFailure
from zaws.operations.firmware import read_firmware
from zaws.operations.fota_document import (
    MAX_DURATION_S,
    MIN_DURATION_S,
    S3Location,
    build_document,
    s3_url,
)
from zaws.operations.fota_role import parse_role
from zaws.operations.fota_targets import FotaTargets, ResolvedTargets, check_targets

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient
    from mypy_boto3_s3 import S3Client

    from zaws.operations.fota_verify import FotaVerification

__all__ = [
    "MAX_DURATION_S",
    "MIN_DURATION_S",
    "FotaStarted",
    "FotaTargets",
    "Rollout",
    "check_duration",
    "job_id_for",
    "parse_bucket",
    "s3_url",
    "start_fota",
    "start_fota_campaign",
]

JOB_ID_FORBIDDEN = re.compile(r"[^a-zA-Z0-9_-]")
MAX_JOB_ID = 64


@dataclass(frozen=True)
class Rollout:
    """How fast the job reaches devices and when AWS stops it."""

    max_per_minute: int | None = None  # jobExecutionsRolloutConfig.maximumPerMinute, 1-1000
    abort_failed_percent: float | None = None  # cancel when this share of executions failed
    abort_min_executed: int = 1  # ... once at least this many things have finished

    def check(self) -> None:
        if self.max_per_minute is not None and not 1 <= self.max_per_minute <= 1000:
            raise InvalidInput(
                f"The rollout rate must be 1-1000 things per minute, not {self.max_per_minute}",
                "pass --max-per-minute N within that range",
            )
        percent = self.abort_failed_percent
        if percent is not None and not 0 < percent <= 100:
            raise InvalidInput(
                f"The abort threshold must be a share of failures above 0 and up to 100 %, "
                f"not {percent}",
                "pass --abort-failed-percent P with 0 < P <= 100",
            )
        if self.abort_min_executed < 1:
            raise InvalidInput(
                "The abort rule needs at least 1 finished execution", "pass --abort-min-executed N"
            )

    def job_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.max_per_minute is not None:
            options["jobExecutionsRolloutConfig"] = {"maximumPerMinute": self.max_per_minute}
        if self.abort_failed_percent is not None:
            criterion = {
                "failureType": "FAILED",
                "action": "CANCEL",
                "thresholdPercentage": float(self.abort_failed_percent),
                "minNumberOfExecutedThings": self.abort_min_executed,
            }
            options["abortConfig"] = {"criteriaList": [criterion]}
        return options


@dataclass(frozen=True)
class FotaStarted:
    job_id: str
    job_arn: str
    thing_name: str | None  # the one thing, when there is exactly one (the seed's form)
    things: list[str]
    thing_group: str | None
    bucket: str
    bucket_region: str
    bytecode_key: str
    job_document_key: str
    document_source: str
    role_arn: str
    document: dict[str, Any]
    duration: int
    rollout: dict[str, Any] = field(default_factory=dict)
    group_changes: dict[str, Any] | None = None
    recorded_in: str | None = None
    verification: FotaVerification | None = None
    preflight: FotaVerification | None = None  # what the checks before creating the job found
    forced: bool = False  # created with --force although the pre-flight found problems

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["verification"] = self.verification.to_dict() if self.verification else None
        data["preflight"] = self.preflight.to_dict() if self.preflight else None
        return data


def parse_bucket(bucket: str) -> tuple[str, str]:
    """`s3://name/prefix` or `name`: (bucket name, key prefix ending in / or empty)."""
    rest = bucket.strip().removeprefix("s3://").strip("/")
    if not rest:
        raise InvalidInput(
            "A bucket is required",
            "pass the S3 bucket for the firmware as NAME or s3://NAME "
            "(`zaws fota-setup --bucket NAME --role ROLE` creates it)",
        )
    name, _, prefix = rest.partition("/")
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", name):
        raise InvalidInput(
            f"{bucket!r} is not an S3 bucket name", "pass a bucket as NAME or s3://NAME"
        )
    return name, f"{prefix}/" if prefix else ""


def job_id_for(label: str, stamp: int, suffix: str) -> str:
    """`fota-<label>-<time>-<suffix>`, valid for AWS (1-64 of [a-zA-Z0-9_-]) whatever the label."""
    tail = f"-{stamp}-{suffix}"
    clean = JOB_ID_FORBIDDEN.sub("-", label)
    candidate = f"fota-{clean}{tail}"
    if clean == label and len(candidate) <= MAX_JOB_ID:
        return candidate
    digest = hashlib.sha256(label.encode()).hexdigest()[:8]
    room = MAX_JOB_ID - len(f"fota--{digest}{tail}")
    return f"fota-{clean[:room]}-{digest}{tail}"


def check_duration(duration: int) -> None:
    if not MIN_DURATION_S <= duration <= MAX_DURATION_S:
        raise InvalidInput(
            f"The URL validity must be between {MIN_DURATION_S} and {MAX_DURATION_S} seconds "
            f"(AWS's limit), not {duration}",
            "pass --duration SECONDS within that range",
        )


def _now() -> float:
    return time.time()


def _unused_job_id(iot: IoTClient, label: str, stamp: int) -> tuple[str, str]:
    """A job id no job has yet, and its random suffix (checked: the emulator would overwrite)."""
    from zaws.aws.errors import aws_errors, is_not_found

    for _ in range(5):
        suffix = secrets.token_hex(3)
        job_id = job_id_for(label, stamp, suffix)
        with aws_errors(f"checking that job id {job_id} is free"):
            try:
                iot.describe_job(jobId=job_id)
            except ClientError as err:
                if is_not_found(err):
                    return job_id, suffix
                raise
    raise RemoteFailure("Could not find an unused job id", "run the command again")


def start_fota(
    thing: str,
    firmware: Path | str,
    bucket: str,
    role: str,
    *,
    duration: int = MAX_DURATION_S,
    aws: AwsSettings,
    project: Path | None = None,
    verify: bool = True,
    force: bool = False,
) -> FotaStarted:
    """The seed's form: one thing."""
    return start_fota_campaign(
        FotaTargets(things=(thing,)),
        firmware,
        bucket,
        role,
        duration=duration,
        aws=aws,
        project=project,
        verify=verify,
        force=force,
    )


def start_fota_campaign(
    targets: FotaTargets,
    firmware: Path | str,
    bucket: str,
    role: str,
    *,
    duration: int = MAX_DURATION_S,
    rollout: Rollout | None = None,
    aws: AwsSettings,
    project: Path | None = None,
    verify: bool = True,
    force: bool = False,
) -> FotaStarted:
    """`force`: create the job even when the pre-flight finds devices could not run it."""
    from zaws.project.thing_project import ThingProject

    rollout = rollout or Rollout()
    check_duration(duration)
    rollout.check()
    opened = ThingProject.open(project) if project is not None else None
    check_targets(targets, opened)
    image = read_firmware(firmware)
    parse_role(role)
    bucket_name, prefix = parse_bucket(bucket)

    from zaws.aws.clients import AwsClients
    from zaws.aws.errors import aws_errors
    from zaws.operations.aws_lookups import FotaClients, bucket_region
    from zaws.operations.fota_preflight import FotaJobRefused, PlannedJob, preflight
    from zaws.operations.fota_role import role_for_job
    from zaws.operations.fota_targets import apply_group_changes, resolve_targets
    from zaws.operations.fota_verify import verify_fota_job

    clients = FotaClients(AwsClients(aws))
    s3_by_region = clients.s3
    role_arn_value = role_for_job(clients.clients, role)
    region = bucket_region(s3_by_region(), bucket_name)
    resolved = resolve_targets(targets, iot=clients.iot, project=opened, defer_group_changes=True)

    stamp = int(_now())
    job_id, suffix = _unused_job_id(clients.iot, resolved.label, stamp)
    folder = JOB_ID_FORBIDDEN.sub("-", resolved.label)
    bytecode_key = f"{prefix}{folder}/fota-{stamp}-{suffix}-bc"
    document_key = f"{prefix}{folder}/fota-{stamp}-{suffix}-job"
    document_source = s3_url(bucket_name, region, document_key)
    document = build_document(
        image.md5, len(image.bytecode), image.bc_idx, s3_url(bucket_name, region, bytecode_key)
    )
    s3 = s3_by_region(region)
    with aws_errors(f"uploading the firmware to s3://{bucket_name}"):
        s3.put_object(Bucket=bucket_name, Key=bytecode_key, Body=image.bytecode)
        s3.put_object(
            Bucket=bucket_name,
            Key=document_key,
            Body=json.dumps(document).encode(),
            ContentType="application/json",
        )
    checked = preflight(
        clients,
        PlannedJob(
            job_id,
            S3Location(bucket_name, document_key, region),
            document_source,
            role_arn_value,
            duration,
        ),
    )
    if not checked.ok and not force:
        _delete_uploads(s3, bucket_name, (bytecode_key, document_key))
        raise FotaJobRefused(checked)
    apply_group_changes(resolved, clients.iot)  # only once the job is sure to be created
    # The document's URL also goes in the description, where people reading the job see it
    # (describe_job gives it as documentSource too, beside the job).
    description = (
        f"Zerynth FOTA of {resolved.label} to bytecode slot {image.bc_idx} "
        f"(document {document_source})"
    )
    with aws_errors(f"creating job {job_id}"):
        job = clients.iot.create_job(
            jobId=job_id,
            targets=resolved.arns,
            documentSource=document_source,
            presignedUrlConfig={"roleArn": role_arn_value, "expiresInSec": duration},
            targetSelection="SNAPSHOT",
            description=description[:2028],
            **rollout.job_options(),
        )
    started = FotaStarted(
        job_id=job["jobId"],
        job_arn=job["jobArn"],
        thing_name=resolved.things[0] if len(resolved.arns) == len(resolved.things) == 1 else None,
        things=resolved.things,
        thing_group=resolved.thing_group,
        bucket=bucket_name,
        bucket_region=region,
        bytecode_key=bytecode_key,
        job_document_key=document_key,
        document_source=document_source,
        role_arn=role_arn_value,
        document=document,
        duration=duration,
        rollout=rollout.job_options(),
        group_changes=_group_changes(resolved) if resolved.thing_group else None,
        preflight=checked,
        forced=not checked.ok,
    )
    if opened is not None:
        _record(opened.root, started, stamp)
        started = replace(started, recorded_in=str(opened.root))
    if verify:
        checked = verify_fota_job(
            started.job_id, aws=aws, document_source=document_source, clients=clients
        )
        started = replace(started, verification=checked)
    return started


def _delete_uploads(s3: S3Client, bucket: str, keys: tuple[str, ...]) -> None:
    """What a refused start uploaded; a failure to delete is left for the refusal to explain."""
    for key in keys:
        with contextlib.suppress(ClientError):
            s3.delete_object(Bucket=bucket, Key=key)


def _group_changes(resolved: ResolvedTargets) -> dict[str, Any]:
    return {
        "created": resolved.group_created,
        "added": resolved.group_added,
        "removed": resolved.group_removed,
    }


def _record(root: Path, started: FotaStarted, stamp: int) -> None:
    from zaws.project.fota_jobs_record import FotaJobsRecord, RecordedJob

    FotaJobsRecord(root).add(
        RecordedJob(
            job_id=started.job_id,
            job_arn=started.job_arn,
            started_at=float(stamp),
            things=started.things,
            thing_group=started.thing_group,
            bucket=started.bucket,
            bucket_region=started.bucket_region,
            bytecode_key=started.bytecode_key,
            job_document_key=started.job_document_key,
            document_source=started.document_source,
            role_arn=started.role_arn,
            duration=started.duration,
            bc_idx=int(started.document["bc_idx"]),
            bc_size=int(started.document["bc_size"]),
            bc_crc=str(started.document["bc_crc"]),
        )
    )
