"""AWS IoT Jobs in the emulator as AWS runs them, where moto (5.2, pinned) differs.

moto creates a job QUEUED (AWS: IN_PROGRESS) and counts one queued thing whatever its executions;
it makes one execution named after a thing group's ARN instead of one per thing in the group (and
stores the job before finding out that a group does not exist); it cancels a job without cancelling
its executions, and leaves a deleted job's executions behind. The CLI, the VS Code tree and the
demo would otherwise show states AWS never shows ("canceled · 1 queued" for a job of three things).

Executions still never progress by themselves: the emulator has no device-side jobs API
(tests/support/device_playback.py plays the device). What changes them (cancel_job,
cancel_job_execution, delete_job_execution) is reflected whenever a job is read: its counts, and a
snapshot job whose executions have all ended is COMPLETED.
"""

from __future__ import annotations

from typing import Any

from zaws.operations.fota_jobs import COUNT_KEYS

# Execution status -> jobProcessDetails counter ("in_progress" -> IN_PROGRESS ...).
COUNTERS = {short.upper(): counter for counter, short in COUNT_KEYS.items()}
ENDED = {"SUCCEEDED", "FAILED", "REJECTED", "CANCELED", "TIMED_OUT", "REMOVED"}


def patch_jobs() -> None:
    from moto.core.utils import utcnow
    from moto.iot.models import FakeJobExecution, IoTBackend

    moto_create_job = IoTBackend.create_job
    moto_describe_job = IoTBackend.describe_job
    moto_list_jobs = IoTBackend.list_jobs
    moto_cancel_job = IoTBackend.cancel_job
    moto_delete_job = IoTBackend.delete_job

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
        job = moto_cancel_job(self, job_id, reason_code, comment, force)
        cancelled = {"QUEUED", "IN_PROGRESS"} if force else {"QUEUED"}
        for execution in _executions(self, job_id):
            if execution.status in cancelled:
                execution.status = "CANCELED"
                execution.force_canceled = bool(force)
                execution.last_updated_at = utcnow()
        return job

    def delete_job(self: Any, job_id: str, force: bool) -> None:
        moto_delete_job(self, job_id, force)
        for key in [key for key in self.job_executions if key[0] == job_id]:
            del self.job_executions[key]

    for name, method in (
        ("create_job", create_job),
        ("describe_job", describe_job),
        ("list_jobs", list_jobs),
        ("cancel_job", cancel_job),
        ("delete_job", delete_job),
    ):
        setattr(IoTBackend, name, method)


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
