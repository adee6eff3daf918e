"""moto's job executions in the shapes of AWS's Jobs MQTT API, and the changes a device makes.

The shapes (`jobs-mqtt-api`): JobExecutionSummary (`jobId`, `queuedAt`, `startedAt` once started,
`lastUpdatedAt`, `versionNumber`, `executionNumber`), JobExecution (the summary with `thingName`,
`status`, `statusDetails` and, when asked, `jobDocument`) and JobExecutionState (`status`,
`statusDetails`, `versionNumber`); times in seconds since the epoch. The change is
UpdateJobExecution's: the device sets IN_PROGRESS, SUCCEEDED, FAILED or REJECTED; a terminal
execution takes no more updates; statusDetails merge into the execution's; the version goes up by
one each time (kept on moto's execution, so describe_job_execution and a restart see it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from zaws.emulator.iot_jobs import ENDED, numbered

DEVICE_STATUSES = ("IN_PROGRESS", "SUCCEEDED", "FAILED", "REJECTED")
MAX_STATUS_DETAILS = 10


class JobsError(Exception):
    """A rejection of the Jobs API: its `code`, message, and the execution's state for the two
    errors that carry it (InvalidStateTransition, VersionMismatch)."""

    def __init__(self, code: str, message: str, execution: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.execution = execution


def epoch(moment: datetime | None) -> int | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return int(aware.timestamp())


def started(execution: Any) -> bool:
    """moto stamps startedAt at creation; AWS only once the execution left QUEUED."""
    return bool(getattr(execution, "zaws_started", False)) or execution.status not in {
        "QUEUED",
        "CANCELED",
        "REMOVED",
    }


def summary(execution: Any) -> dict[str, Any]:
    numbered(execution)
    shown: dict[str, Any] = {"jobId": execution.job_id, "queuedAt": epoch(execution.queued_at)}
    if started(execution):
        shown["startedAt"] = epoch(execution.started_at)
    shown["lastUpdatedAt"] = epoch(execution.last_updated_at)
    shown["versionNumber"] = execution.version_number
    shown["executionNumber"] = execution.execution_number
    return shown


def full(execution: Any, thing_name: str, document: object = None) -> dict[str, Any]:
    shown = {"jobId": execution.job_id, "thingName": thing_name, "status": execution.status}
    if execution.status_details_map:
        shown["statusDetails"] = dict(execution.status_details_map)
    shown.update({key: value for key, value in summary(execution).items() if key != "jobId"})
    if document is not None:
        shown["jobDocument"] = document
    return shown


def state(execution: Any) -> dict[str, Any]:
    shown: dict[str, Any] = {"status": execution.status}
    if execution.status_details_map:
        shown["statusDetails"] = dict(execution.status_details_map)
    shown["versionNumber"] = numbered(execution).version_number
    return shown


def check_status_details(details: object) -> dict[str, str]:
    if details is None:
        return {}
    if not isinstance(details, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in details.items()
    ):
        raise JobsError("InvalidRequest", "statusDetails must be a map of strings to strings")
    return details


def update(
    execution: Any, status: object, details: object, expected_version: object, now: datetime
) -> None:
    """UpdateJobExecution's change, or the JobsError AWS answers instead."""
    numbered(execution)
    if status not in DEVICE_STATUSES:
        raise JobsError(
            "InvalidRequest",
            f"status must be one of {', '.join(DEVICE_STATUSES)}, not {status!r}",
        )
    merged = dict(execution.status_details_map)
    merged.update(check_status_details(details))
    merged = {key: value for key, value in merged.items() if value is not None}
    if len(merged) > MAX_STATUS_DETAILS:
        raise JobsError("InvalidRequest", "statusDetails may hold at most 10 entries")
    if expected_version is not None:
        if isinstance(expected_version, bool) or not isinstance(expected_version, int):
            raise JobsError("InvalidRequest", "expectedVersion must be a number")
        if expected_version != execution.version_number:
            raise JobsError(
                "VersionMismatch",
                f"The expected version {expected_version} does not match the job execution's "
                f"version {execution.version_number}",
                execution,
            )
    if execution.status in ENDED:
        raise JobsError(
            "InvalidStateTransition",
            f"Job execution {execution.job_id} is in the terminal state {execution.status} "
            f"and cannot be updated to {status}",
            execution,
        )
    if execution.status == "QUEUED":
        execution.started_at = now
        execution.zaws_started = True
    execution.status = status
    execution.status_details_map = merged
    execution.last_updated_at = now
    execution.version_number += 1
