"""Watching and stopping FOTA jobs: a project's jobs, one job's per-thing status, cancel, delete.

The project remembers the jobs started from it (`zaws.project.fota_jobs_record`); AWS knows their
state. Cancelling leaves executions already in progress running unless forced (a forced cancel can
stop a device half way through an update). Deleting checks the job exists first: AWS would
accept a missing one, the emulator answers HTTP 500.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient
    from mypy_boto3_iot.type_defs import JobTypeDef

FINISHED = {"COMPLETED", "CANCELED"}
GONE = "DELETED"  # our status for a recorded job AWS no longer has
COUNT_KEYS = {
    "numberOfQueuedThings": "queued",
    "numberOfInProgressThings": "in_progress",
    "numberOfSucceededThings": "succeeded",
    "numberOfFailedThings": "failed",
    "numberOfRejectedThings": "rejected",
    "numberOfCanceledThings": "canceled",
    "numberOfTimedOutThings": "timed_out",
    "numberOfRemovedThings": "removed",
}


@dataclass
class JobSummary:
    job_id: str
    started_at: float
    things: list[str]
    thing_group: str | None
    status: str | None  # None when AWS was not asked; DELETED when AWS no longer has it
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class FotaJobList:
    project: str
    jobs: list[JobSummary]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


# Executions whose statusDetails (the device's reason: "bad crc", "invalid fota") are worth a
# DescribeJobExecution each (10 TPS on AWS): the ones that ended badly, at most this many.
ENDED_BADLY = {"FAILED", "REJECTED", "TIMED_OUT"}
DETAILS_FOR_AT_MOST = 50


@dataclass
class ExecutionStatus:
    thing_name: str
    target_arn: str  # a thing (on AWS); the emulator reports a group's ARN for group jobs
    status: str
    last_updated: str | None
    status_details: dict[str, str] | None = None  # what the device said (for ENDED_BADLY)


@dataclass
class FotaJobDetails:
    job_id: str
    job_arn: str
    status: str
    targets: list[str]
    description: str
    created_at: str | None
    rollout: dict[str, Any]
    abort: dict[str, Any]
    url_validity: int | None
    counts: dict[str, int]
    executions: list[ExecutionStatus]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class FotaJobCancelled:
    job_id: str
    previous_status: str
    status: str
    force: bool
    left_running: int  # executions in progress that a cancel without force leaves running

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class FotaJobDeleted:
    job_id: str
    existed: bool  # False: AWS had no such job any more
    forgotten_by_project: bool

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _job_or_none(iot: IoTClient, job_id: str) -> JobTypeDef | None:
    from zaws.aws.errors import aws_errors, is_not_found

    with aws_errors(f"reading job {job_id}"):
        try:
            return iot.describe_job(jobId=job_id)["job"]
        except ClientError as err:
            if is_not_found(err):
                return None
            raise


def _job(iot: IoTClient, job_id: str) -> JobTypeDef:
    job = _job_or_none(iot, job_id)
    if job is None:
        raise NotFound(
            f"There is no job {job_id!r} in AWS IoT",
            "check the id and the region (`zaws iot-fota-jobs PROJECT` lists a project's jobs)",
        )
    return job


def _counts(job: JobTypeDef) -> dict[str, int]:
    details: dict[str, Any] = dict(job.get("jobProcessDetails") or {})
    return {short: int(details.get(key, 0)) for key, short in COUNT_KEYS.items()}


def _iot(aws: AwsSettings) -> IoTClient:
    from zaws.aws.clients import AwsClients

    return AwsClients(aws).iot


def list_fota_jobs(project: Path, *, aws: AwsSettings | None = None) -> FotaJobList:
    """The project's jobs, oldest first; with `aws`, each one's current status and counts."""
    from zaws.project.fota_jobs_record import FotaJobsRecord
    from zaws.project.thing_project import ThingProject

    opened = ThingProject.open(project)
    iot = _iot(aws) if aws is not None else None
    summaries = []
    for recorded in FotaJobsRecord(opened.root).jobs():
        summary = JobSummary(
            recorded.job_id, recorded.started_at, recorded.things, recorded.thing_group, None
        )
        if iot is not None:
            job = _job_or_none(iot, recorded.job_id)
            summary.status = job.get("status", "UNKNOWN") if job else GONE
            summary.counts = _counts(job) if job else {}
        summaries.append(summary)
    return FotaJobList(project=str(opened.root), jobs=summaries)


def describe_fota_job(job_id: str, *, aws: AwsSettings) -> FotaJobDetails:
    from zaws.aws.errors import aws_errors

    iot = _iot(aws)
    job = _job(iot, job_id)
    executions = []
    with aws_errors(f"listing the executions of job {job_id}"):
        for page in iot.get_paginator("list_job_executions_for_job").paginate(jobId=job_id):
            for item in page.get("executionSummaries", []):
                summary = item.get("jobExecutionSummary", {})
                arn = item.get("thingArn", "")
                updated = summary.get("lastUpdatedAt")
                executions.append(
                    ExecutionStatus(
                        thing_name=arn.rsplit("/", 1)[-1],
                        target_arn=arn,
                        status=str(summary.get("status", "UNKNOWN")),
                        last_updated=updated.isoformat() if updated else None,
                    )
                )
    _add_status_details(iot, job_id, executions)
    created = job.get("createdAt")
    return FotaJobDetails(
        job_id=job_id,
        job_arn=job.get("jobArn", ""),
        status=job.get("status", "UNKNOWN"),
        targets=list(job.get("targets", [])),
        description=job.get("description", ""),
        created_at=created.isoformat() if created else None,
        rollout=dict(job.get("jobExecutionsRolloutConfig") or {}),
        abort=dict(job.get("abortConfig") or {}),
        url_validity=(job.get("presignedUrlConfig") or {}).get("expiresInSec"),
        counts=_counts(job),
        executions=sorted(executions, key=lambda e: e.thing_name),
    )


def _add_status_details(iot: IoTClient, job_id: str, executions: list[ExecutionStatus]) -> None:
    """The reason each device gave for an execution that ended badly (the first
    DETAILS_FOR_AT_MOST of them); one that cannot be described keeps None."""
    ended_badly = [e for e in executions if e.status in ENDED_BADLY][:DETAILS_FOR_AT_MOST]
    for execution in ended_badly:
        try:
            described = iot.describe_job_execution(jobId=job_id, thingName=execution.thing_name)
        except ClientError:
            continue  # a group's execution on the emulator, or gone meanwhile: no reason shown
        details = (described.get("execution", {}).get("statusDetails") or {}).get("detailsMap")
        execution.status_details = dict(details or {})


def cancel_fota_job(job_id: str, *, aws: AwsSettings, force: bool = False) -> FotaJobCancelled:
    """Cancel a job; `force` also cancels executions already in progress on devices."""
    from zaws.aws.errors import aws_errors

    iot = _iot(aws)
    job = _job(iot, job_id)
    previous = job.get("status", "UNKNOWN")
    in_progress = _counts(job)["in_progress"]
    if previous in FINISHED:
        return FotaJobCancelled(job_id, previous, previous, force, 0)
    with aws_errors(f"cancelling job {job_id}"):
        iot.cancel_job(
            jobId=job_id, force=force, reasonCode="ZAWS_USER", comment="Cancelled with zaws"
        )
    status = _job(iot, job_id).get("status", "UNKNOWN")
    return FotaJobCancelled(job_id, previous, status, force, 0 if force else in_progress)


def delete_fota_job(
    job_id: str, *, aws: AwsSettings, force: bool = False, project: Path | None = None
) -> FotaJobDeleted:
    """Delete a finished job (an active one only with `force`); a missing job is not an error."""
    from zaws.aws.errors import aws_errors
    from zaws.project.fota_jobs_record import FotaJobsRecord
    from zaws.project.thing_project import ThingProject

    opened = ThingProject.open(project) if project is not None else None
    iot = _iot(aws)
    job = _job_or_none(iot, job_id)  # first: the emulator answers HTTP 500 for a missing job
    if job is not None:
        status = job.get("status", "UNKNOWN")
        if status not in FINISHED and not force:
            raise InvalidInput(
                f"The job {job_id} is still active ({status})",
                f"cancel it first (`zaws iot-fota-cancel {job_id}`) or delete it with --force",
            )
        with aws_errors(f"deleting job {job_id}"):
            iot.delete_job(jobId=job_id, force=force)
    forgotten = FotaJobsRecord(opened.root).remove(job_id) if opened is not None else False
    return FotaJobDeleted(job_id, existed=job is not None, forgotten_by_project=forgotten)
