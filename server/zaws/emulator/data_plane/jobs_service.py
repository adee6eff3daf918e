"""The Jobs MQTT API of AWS IoT (`$aws/things/<thing>/jobs/...`) on moto's own IoT backend.

A device publishes to `jobs/get`, `jobs/start-next`, `jobs/<jobId>/get` (`$next` too) or
`jobs/<jobId>/update`; the answer goes to `<request topic>/accepted` or `/rejected`, delivered to
that device whether or not it subscribed (the Zerynth library subscribes to `.../update/`
literally and relies on it), with the request's `clientToken` and a `timestamp`, when the
device's iot:Receive allows the answer's topic (checked on every delivery, as AWS's job policy
example grants it on `$aws/things/<thing>/jobs/*`; `Broker.deliver`). Describing an execution
that has ended is rejected with TerminalStateReached, the one operation AWS gives that code to
(jobs-api.md; TerminalStateException, 410, of iot-jobs-data's DescribeJobExecution only); an
update of one is InvalidStateTransition (`jobs_executions.update`). What a device
does changes moto's execution objects, so describe_job_execution, list_job_executions_for_job and
describe_job's counts show it, and a restart keeps it.

`jobs/notify` (the pending list) and `jobs/notify-next` (the first pending execution) are
published to their subscribers when AWS sends them: notify when the set of pending executions
changes (a job queued, an execution ended; not QUEUED -> IN_PROGRESS, as AWS's worked example
shows), notify-next when the first of them changes. Jobs created, cancelled or deleted through
the control plane are announced too (`iot_jobs.add_jobs_listener`).
"""

from __future__ import annotations

import json
import time
from typing import Any

from zaws.emulator.data_plane.jobs_documents import job_document
from zaws.emulator.data_plane.jobs_executions import JobsError, full, state, summary, update
from zaws.emulator.data_plane.services import ClientInfo, DataPlane
from zaws.emulator.iot_jobs import (
    ENDED,
    add_jobs_listener,
    pending_executions,
    pending_job_ids,
    remove_jobs_listener,
)

PREFIX = "$aws/things/"
MAX_NOTIFY_JOBS = 15  # jobs-comm-notifications: "up to 15" in the ListNotification
MAX_TOKEN = 64


class JobsService:
    """A `ReservedTopicService` for `$aws/things/+/jobs/#`."""

    def __init__(self, plane: DataPlane, s3_base_url: str) -> None:
        self.plane = plane
        self.s3_base_url = s3_base_url  # where presigned URLs point: the emulator's own S3
        add_jobs_listener(self._control_plane_changed)

    def close(self) -> None:
        remove_jobs_listener(self._control_plane_changed)

    def handles(self, topic: str) -> bool:
        levels = topic.split("/")
        return topic.startswith(PREFIX) and len(levels) >= 5 and levels[3] == "jobs"

    def on_publish(self, client: ClientInfo, topic: str, payload: bytes) -> None:
        levels = topic.split("/")
        thing, operation = levels[2], levels[4:]
        request: dict[str, Any] = {}
        try:
            request = _request(payload)
            answer = self._answer(client, thing, operation, request)
        except JobsError as err:
            self._reject(client, topic, request, err)
            return
        self._send(client, f"{topic}/accepted", answer, request)

    def _answer(
        self, client: ClientInfo, thing: str, operation: list[str], request: dict[str, Any]
    ) -> dict[str, Any]:
        backend = _backend(client)
        if operation == ["get"]:
            return self._pending(backend, thing)
        if operation == ["start-next"]:
            return self._start_next(backend, thing, request)
        if len(operation) == 2 and operation[1] == "get":
            return self._describe(backend, thing, operation[0], request)
        if len(operation) == 2 and operation[1] == "update" and operation[0] != "$next":
            return self._update(backend, thing, operation[0], request)
        raise JobsError("InvalidTopic", f"Unsupported jobs topic {'/'.join(operation)}")

    def _pending(self, backend: Any, thing: str) -> dict[str, Any]:
        pending = pending_executions(backend, thing)
        return {
            "inProgressJobs": [summary(e) for e in pending if e.status == "IN_PROGRESS"],
            "queuedJobs": [summary(e) for e in pending if e.status == "QUEUED"],
        }

    def _start_next(self, backend: Any, thing: str, request: dict[str, Any]) -> dict[str, Any]:
        pending = pending_executions(backend, thing)
        if not pending:
            return {}
        execution = pending[0]
        if execution.status == "QUEUED":
            before = pending_job_ids(backend, thing)
            details = request.get("statusDetails")
            update(execution, "IN_PROGRESS", details, None, _now())
            self._announce(backend, thing, before)
        document = job_document(backend.jobs[execution.job_id], self.s3_base_url)
        return {"execution": full(execution, thing, document)}

    def _describe(
        self, backend: Any, thing: str, job_id: str, request: dict[str, Any]
    ) -> dict[str, Any]:
        if job_id == "$next":
            pending = pending_executions(backend, thing)
            if not pending:
                return {}
            execution = pending[0]
        else:
            execution = self._execution(backend, thing, job_id, request)
            if execution.status in ENDED:
                raise JobsError(
                    "TerminalStateReached",
                    f"Job execution {job_id} of {thing} is in the terminal state "
                    f"{execution.status}",
                )
        include = request.get("includeJobDocument", True) is not False
        document = job_document(backend.jobs[execution.job_id], self.s3_base_url)
        return {"execution": full(execution, thing, document if include else None)}

    def _update(
        self, backend: Any, thing: str, job_id: str, request: dict[str, Any]
    ) -> dict[str, Any]:
        execution = self._execution(backend, thing, job_id, request)
        before = pending_job_ids(backend, thing)
        update(
            execution,
            request.get("status"),
            request.get("statusDetails"),
            request.get("expectedVersion"),
            _now(),
        )
        answer: dict[str, Any] = {}
        if request.get("includeJobExecutionState") is True:
            answer["executionState"] = state(execution)
        if request.get("includeJobDocument") is True:
            answer["jobDocument"] = job_document(backend.jobs[job_id], self.s3_base_url)
        self._announce(backend, thing, before)
        return answer

    def _execution(self, backend: Any, thing: str, job_id: str, request: dict[str, Any]) -> Any:
        execution = backend.job_executions.get((job_id, thing))
        if execution is None or job_id not in backend.jobs:
            raise JobsError("ResourceNotFound", f"Job execution {job_id} of {thing} not found")
        number = request.get("executionNumber")
        if number is not None and number != summary(execution)["executionNumber"]:
            raise JobsError(
                "ResourceNotFound", f"Job execution {job_id} #{number} of {thing} not found"
            )
        return execution

    def _control_plane_changed(self, backend: Any, before: dict[str, list[str]]) -> None:
        for thing, pending_before in before.items():
            self._announce(backend, thing, pending_before)

    def _announce(self, backend: Any, thing: str, before: list[str]) -> None:
        """notify when the pending set changed, notify-next when its first execution changed."""
        pending = pending_executions(backend, thing)
        after = [execution.job_id for execution in pending]
        prefix = f"{PREFIX}{thing}/jobs"
        if set(after) != set(before):
            jobs: dict[str, list[dict[str, Any]]] = {}
            for execution in pending[:MAX_NOTIFY_JOBS]:
                jobs.setdefault(execution.status, []).append(summary(execution))
            self.plane.publish(f"{prefix}/notify", _json({"timestamp": _epoch_now(), "jobs": jobs}))
        if after[:1] != before[:1]:
            message: dict[str, Any] = {"timestamp": _epoch_now()}
            if pending:
                head = pending[0]
                document = job_document(backend.jobs[head.job_id], self.s3_base_url)
                message["execution"] = full(head, thing, document)
            self.plane.publish(f"{prefix}/notify-next", _json(message))

    def _reject(
        self, client: ClientInfo, topic: str, request: dict[str, Any], err: JobsError
    ) -> None:
        answer: dict[str, Any] = {"code": err.code, "message": err.message}
        if err.execution is not None:
            answer["executionState"] = state(err.execution)
        self._send(client, f"{topic}/rejected", answer, request)

    def _send(
        self, client: ClientInfo, topic: str, answer: dict[str, Any], request: dict[str, Any]
    ) -> None:
        answer["timestamp"] = _epoch_now()
        if isinstance(request.get("clientToken"), str):
            answer["clientToken"] = request["clientToken"]
        self.plane.deliver(client.client_id, topic, _json(answer))


def _request(payload: bytes) -> dict[str, Any]:
    """The request's JSON object (an empty payload is an empty request), its clientToken checked."""
    if not payload.strip():
        return {}
    try:
        request = json.loads(payload)
    except ValueError:
        raise JobsError("InvalidJson", "Unable to parse the request as JSON") from None
    if not isinstance(request, dict):
        raise JobsError("InvalidJson", "The request is not a JSON object")
    token = request.get("clientToken")
    if token is not None and (not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN):
        raise JobsError("InvalidRequest", "clientToken must be a string of 1-64 characters")
    return request


def _backend(client: ClientInfo) -> Any:
    from moto.backends import get_backend

    return get_backend("iot")[client.account_id][client.region]


def _now() -> Any:
    from moto.core.utils import utcnow

    return utcnow()


def _epoch_now() -> int:
    return int(time.time())


def _json(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode()
