"""AWS IoT Jobs in the emulator as AWS runs them, where moto (5.2, pinned) differs.

moto creates a job QUEUED (AWS: IN_PROGRESS), counts one queued thing whatever the targets, makes
one execution named after a thing group's ARN instead of one per thing in the group, and cancels a
job without cancelling its executions. The CLI, the VS Code tree and the demo would otherwise show
states AWS never shows ("canceled · 1 queued" for a job of three things). Executions still never
progress by themselves: the emulator has no device-side jobs API (tests/support/device_playback.py
plays the device).
"""

from __future__ import annotations

from typing import Any

# jobProcessDetails' counters, by execution status (AWS's names).
COUNTERS = {
    "QUEUED": "numberOfQueuedThings",
    "IN_PROGRESS": "numberOfInProgressThings",
    "SUCCEEDED": "numberOfSucceededThings",
    "FAILED": "numberOfFailedThings",
    "REJECTED": "numberOfRejectedThings",
    "CANCELED": "numberOfCanceledThings",
    "TIMED_OUT": "numberOfTimedOutThings",
    "REMOVED": "numberOfRemovedThings",
}


def patch_jobs() -> None:
    from moto.iot.models import FakeJobExecution, IoTBackend

    moto_create_job = IoTBackend.create_job
    moto_cancel_job = IoTBackend.cancel_job
    moto_delete_job = IoTBackend.delete_job

    def create_job(self: Any, *args: Any, **kwargs: Any) -> Any:
        created = moto_create_job(self, *args, **kwargs)
        job = self.jobs[created[1]]
        job.status = "IN_PROGRESS"
        for target in job.targets:
            if ":thinggroup/" in target:
                group = target.rsplit("/", 1)[1]
                self.job_executions.pop((job.job_id, group), None)
                for thing in self.list_things_in_thing_group(group):
                    execution = FakeJobExecution(job.job_id, thing.arn)
                    self.job_executions[(job.job_id, thing.thing_name)] = execution
        _count_executions(self, job)
        return created

    def cancel_job(self: Any, job_id: str, reason_code: str, comment: str, force: bool) -> Any:
        job = moto_cancel_job(self, job_id, reason_code, comment, force)
        cancelled = {"QUEUED", "IN_PROGRESS"} if force else {"QUEUED"}
        for execution in _executions(self, job_id):
            if execution.status in cancelled:
                execution.status = "CANCELED"
                execution.force_canceled = bool(force)
        _count_executions(self, job)
        return job

    def delete_job(self: Any, job_id: str, force: bool) -> None:
        moto_delete_job(self, job_id, force)
        for key in [key for key in self.job_executions if key[0] == job_id]:
            del self.job_executions[key]

    for name, method in (
        ("create_job", create_job),
        ("cancel_job", cancel_job),
        ("delete_job", delete_job),
    ):
        setattr(IoTBackend, name, method)


def _executions(backend: Any, job_id: str) -> list[Any]:
    return [execution for (job, _), execution in backend.job_executions.items() if job == job_id]


def _count_executions(backend: Any, job: Any) -> None:
    details = job.job_process_details
    for counter in COUNTERS.values():
        details[counter] = 0
    for execution in _executions(backend, job.job_id):
        if execution.status in COUNTERS:
            details[COUNTERS[execution.status]] += 1
