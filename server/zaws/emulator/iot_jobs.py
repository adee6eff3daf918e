"""AWS IoT Jobs in the emulator as AWS runs them, where moto (5.2, pinned) differs.

moto creates a job QUEUED (AWS: IN_PROGRESS) and counts one queued thing whatever its executions;
it makes one execution named after a thing group's ARN instead of one per thing in the group (and
stores the job before finding out that a group does not exist); it cancels a job without cancelling
its executions, and leaves a deleted job's executions behind. The CLI, the VS Code tree and the
demo would otherwise show states AWS never shows ("canceled · 1 queued" for a job of three things).

Devices move executions through the data plane's Jobs MQTT API (`data_plane/jobs_service.py`);
the control plane's changes (cancel_job, cancel_job_execution, delete_job_execution) are reflected
whenever a job is read: its counts, and a snapshot job whose executions have all ended is
COMPLETED. moto numbers every execution 123 (version and execution number): here they start at 1,
as on AWS, and each change of status adds one to the version.

A job created, cancelled or deleted here changes the things' pending executions, which AWS
announces on `jobs/notify` and `jobs/notify-next`: listeners added with `add_jobs_listener` (the
data plane's, when there is one) hear of each such change with the pending job ids before it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zaws.operations.fota_jobs import COUNT_KEYS

# Execution status -> jobProcessDetails counter ("in_progress" -> IN_PROGRESS ...).
COUNTERS = {short.upper(): counter for counter, short in COUNT_KEYS.items()}
ENDED = {"SUCCEEDED", "FAILED", "REJECTED", "CANCELED", "TIMED_OUT", "REMOVED"}
PENDING = ("IN_PROGRESS", "QUEUED")  # the order AWS lists a thing's pending executions in

# (moto's IoT backend, {thing name: its pending job ids before the change}) after the change
JobsListener = Callable[[Any, dict[str, list[str]]], None]
_listeners: list[JobsListener] = []


def add_jobs_listener(listener: JobsListener) -> None:
    _listeners.append(listener)


def remove_jobs_listener(listener: JobsListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def pending_executions(backend: Any, thing_name: str) -> list[Any]:
    """The thing's QUEUED and IN_PROGRESS executions, IN_PROGRESS first, each by queue time."""
    pending = [
        execution
        for (_, thing), execution in backend.job_executions.items()
        if thing == thing_name and execution.status in PENDING
    ]
    return sorted(pending, key=lambda e: (PENDING.index(e.status), e.queued_at))


def pending_job_ids(backend: Any, thing_name: str) -> list[str]:
    return [execution.job_id for execution in pending_executions(backend, thing_name)]


def numbered(execution: Any) -> Any:
    """The execution numbered as AWS does (moto's 123s made 1, once; restored state too)."""
    if not getattr(execution, "zaws_numbered", False):
        execution.version_number = 1
        execution.execution_number = 1
        execution.zaws_numbered = True
    return execution


def _things_of(backend: Any, job_id: str) -> list[str]:
    return [thing for (job, thing) in backend.job_executions if job == job_id]


def _tell_listeners(backend: Any, before: dict[str, list[str]]) -> None:
    for listener in list(_listeners):
        listener(backend, before)


def patch_jobs() -> None:
    from moto.core.utils import utcnow
    from moto.iot.models import FakeJobExecution, IoTBackend

    if getattr(IoTBackend, "zaws_jobs_patched", False):  # once: a second wrap would run twice
        return
    IoTBackend.zaws_jobs_patched = True  # type: ignore[attr-defined]
    moto_create_job = IoTBackend.create_job
    moto_describe_job = IoTBackend.describe_job
    moto_list_jobs = IoTBackend.list_jobs
    moto_cancel_job = IoTBackend.cancel_job
    moto_delete_job = IoTBackend.delete_job
    moto_cancel_job_execution = IoTBackend.cancel_job_execution
    moto_describe_job_execution = IoTBackend.describe_job_execution
    moto_delete_job_execution = IoTBackend.delete_job_execution

    def create_job(self: Any, job_id: str, targets: list[str], *args: Any, **kwargs: Any) -> Any:
        # Every group's things first: a missing group fails the call before anything is stored.
        groups = {target: _group_things(self, target) for target in targets if _is_group(target)}
        created = moto_create_job(self, job_id, targets, *args, **kwargs)
        for target, things in groups.items():
            self.job_executions.pop((job_id, target.rsplit("/", 1)[1]), None)
            for thing in things:
                execution = FakeJobExecution(job_id, thing.arn)
                self.job_executions[(job_id, thing.thing_name)] = execution
        self.jobs[job_id].status = "IN_PROGRESS"
        for execution in _executions(self, job_id):
            execution.zaws_numbered = False
            numbered(execution)
        if _listeners:
            things = _things_of(self, job_id)
            before = {t: [j for j in pending_job_ids(self, t) if j != job_id] for t in things}
            _tell_listeners(self, before)
        return created

    def describe_job(self: Any, job_id: str) -> Any:
        job = moto_describe_job(self, job_id)
        _refresh(job, _executions(self, job_id))
        return job

    def list_jobs(self: Any, *args: Any, **kwargs: Any) -> Any:
        by_job: dict[str, list[Any]] = {}
        for (job_id, _), execution in self.job_executions.items():  # one pass for all jobs
            by_job.setdefault(job_id, []).append(execution)
        for job in self.jobs.values():
            _refresh(job, by_job.get(job.job_id, []))
        return moto_list_jobs(self, *args, **kwargs)

    def cancel_job(self: Any, job_id: str, reason_code: str, comment: str, force: bool) -> Any:
        before = _pending_before(self, _things_of(self, job_id))
        job = moto_cancel_job(self, job_id, reason_code, comment, force)
        cancelled = {"QUEUED", "IN_PROGRESS"} if force else {"QUEUED"}
        for execution in _executions(self, job_id):
            if execution.status in cancelled:
                execution.status = "CANCELED"
                execution.force_canceled = bool(force)
                execution.last_updated_at = utcnow()
                numbered(execution).version_number += 1
        if _listeners:
            _tell_listeners(self, before)
        return job

    def delete_job(self: Any, job_id: str, force: bool) -> None:
        before = _pending_before(self, _things_of(self, job_id))
        moto_delete_job(self, job_id, force)
        for key in [key for key in self.job_executions if key[0] == job_id]:
            del self.job_executions[key]
        if _listeners:
            _tell_listeners(self, before)

    def describe_job_execution(
        self: Any, job_id: str, thing_name: str, execution_number: Any
    ) -> Any:
        execution = self.job_executions.get((job_id, thing_name))
        if execution is not None:
            numbered(execution)
        return moto_describe_job_execution(self, job_id, thing_name, execution_number)

    def cancel_job_execution(self: Any, job_id: str, thing_name: str, force: bool) -> None:
        before = _pending_before(self, [thing_name])
        execution = self.job_executions.get((job_id, thing_name))
        status = getattr(execution, "status", None)
        moto_cancel_job_execution(self, job_id, thing_name, force)
        if execution is not None and execution.status != status:
            execution.last_updated_at = utcnow()
            numbered(execution).version_number += 1
        if _listeners:
            _tell_listeners(self, before)

    def delete_job_execution(
        self: Any, job_id: str, thing_name: str, execution_number: int, force: bool
    ) -> None:
        before = _pending_before(self, [thing_name])
        execution = self.job_executions.get((job_id, thing_name))
        if execution is not None:
            numbered(execution)
        moto_delete_job_execution(self, job_id, thing_name, execution_number, force)
        if _listeners:
            _tell_listeners(self, before)

    for name, method in (
        ("create_job", create_job),
        ("describe_job", describe_job),
        ("list_jobs", list_jobs),
        ("cancel_job", cancel_job),
        ("delete_job", delete_job),
        ("describe_job_execution", describe_job_execution),
        ("cancel_job_execution", cancel_job_execution),
        ("delete_job_execution", delete_job_execution),
    ):
        setattr(IoTBackend, name, method)


def _pending_before(backend: Any, things: list[str]) -> dict[str, list[str]]:
    if not _listeners:
        return {}
    return {thing: pending_job_ids(backend, thing) for thing in things}


def _is_group(target: str) -> bool:
    return ":thinggroup/" in target


def _group_things(backend: Any, group_arn: str) -> list[Any]:
    return list(backend.list_things_in_thing_group(group_arn.rsplit("/", 1)[1]))


def _executions(backend: Any, job_id: str) -> list[Any]:
    return [execution for (job, _), execution in backend.job_executions.items() if job == job_id]


def _refresh(job: Any, executions: list[Any]) -> None:
    """The job's counts from its executions; a snapshot job whose executions all ended completes."""
    details = job.job_process_details
    for counter in COUNTERS.values():
        details[counter] = 0
    for execution in executions:
        if execution.status in COUNTERS:
            details[COUNTERS[execution.status]] += 1
    finished = executions and all(execution.status in ENDED for execution in executions)
    if job.status == "IN_PROGRESS" and job.target_selection != "CONTINUOUS" and finished:
        job.status = "COMPLETED"
