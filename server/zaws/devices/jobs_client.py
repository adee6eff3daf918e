"""The library's Jobs API (`jobs.py`) over a device's link: list, describe, update.

As the library does: subscribe to the answer topic, publish `{"clientToken"}` (no clientToken on
update), wait for a topic starting with the answer's prefix; `update` sends the expectedVersion of
the last describe and `includeJobExecutionState`, and succeeds when the state's status is the one
asked for. Unlike the library, every wait is bounded (`DeviceLink.wait_for`): None on a timeout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zaws.devices.link import DeviceLink
from zaws.devices.topics import DeviceTopics

CLIENT_TOKEN = "3038313531"  # the library's: the digits of the MCU's uid


@dataclass
class JobExecution:
    job_id: str
    status: str
    version: int
    document: dict[str, Any] = field(default_factory=dict)


class JobsClient:
    def __init__(self, link: DeviceLink, topics: DeviceTopics) -> None:
        self.link = link
        self.topics = topics
        self.last_answer: dict[str, Any] | None = None  # the last update's, to explain a refusal

    def list(self) -> tuple[list[str], list[str]] | None:
        """(in progress, queued) job ids, or None when no answer came."""
        accepted = f"{self.topics.jobs_get}/accepted"
        self.link.subscribe([accepted])
        self.link.publish(self.topics.jobs_get, {"clientToken": CLIENT_TOKEN})
        answer = self.link.wait_for(accepted, "listing its jobs")
        if answer is None:
            return None
        in_progress = [str(j["jobId"]) for j in answer.get("inProgressJobs") or []]
        queued = [str(j["jobId"]) for j in answer.get("queuedJobs") or []]
        return in_progress, queued

    def describe(self, job_id: str) -> JobExecution | None:
        topic = f"{self.topics.job(job_id)}/get"
        self.link.subscribe([f"{topic}/accepted"])
        self.link.publish(topic, {"clientToken": CLIENT_TOKEN})
        answer = self.link.wait_for(self.topics.job(job_id), f"describing job {job_id}")
        execution = (answer or {}).get("execution")
        if not isinstance(execution, dict) or "versionNumber" not in execution:
            return None
        document = execution.get("jobDocument")
        return JobExecution(
            job_id,
            str(execution.get("status")),
            int(execution["versionNumber"]),
            document if isinstance(document, dict) else {},
        )

    def update(self, execution: JobExecution, status: str, details: dict[str, str]) -> bool:
        """`Job.update`: True when AWS IoT now says `status`."""
        topic = f"{self.topics.job(execution.job_id)}/update"
        # The non-LWMQTT build's literal filter: it matches no answer, which AWS IoT delivers to
        # the requester anyway. The LWMQTT build's `.../update/#` also matches `.../update`
        # itself, so a broker echoing the request would hand the library its own request.
        self.link.subscribe([f"{topic}/"])
        request = {
            "status": status,
            "statusDetails": details,
            "expectedVersion": execution.version,
            "includeJobExecutionState": True,
        }
        self.link.publish(topic, request)
        answer = self.link.wait_for(topic, f"updating job {execution.job_id} to {status}")
        self.last_answer = answer
        state = (answer or {}).get("executionState") or {}
        if state.get("status") != status:
            return False
        execution.status = status
        execution.version = int(state.get("versionNumber", execution.version + 1))
        return True
