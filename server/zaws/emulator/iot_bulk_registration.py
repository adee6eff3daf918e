"""Bulk registration in the emulator: StartThingRegistrationTask and its companions, as on AWS.

moto (5.2) answers these with HTTP 500. Here, as AWS documents them:
- StartThingRegistrationTask(templateBody, inputFileBucket, inputFileKey, roleArn) answers a
  taskId at once and runs the task on a thread of its own, so DescribeThingRegistrationTask
  shows InProgress (successCount, failureCount, percentageProgress growing) and then Completed.
  Only one task runs per account at a time, whatever the region: another start is
  InvalidRequestException. The role must exist and trust iot.amazonaws.com; a template that is
  not JSON is InvalidRequestException.
- The input file is read from the emulator's S3 (newline-delimited JSON, one device's parameter
  values a line); each line goes through the provisioning template (`provisioning_templates.py`):
  the thing is created (as CreateThing, `iot_things.py`), the certificate issued from the line's
  CSR by the emulator's root (as CreateCertificateFromCsr, `iot_certificates.py`), the policies
  named attached to it and it to the thing. A line that fails creates nothing of its own and is
  a line of the error report. A role that cannot s3:GetObject the file (its inline policies
  evaluated), or a file that does not exist, fails the task (status Failed, with a message); a
  task that fails part-way has written the reports of the lines it did, as AWS's do. A test can
  hold a task or fail it at a line (`registration_controls.py`).
- The reports are JSON lines, as AWS writes them: RESULTS lines
  `{"offset": N, "response": {"CertificatePem": ..., "ResourceArns": {"thing": ..., "certificate":
  ..., "policy": ...}}}`, ERRORS lines `{"offset": N, "errorMessage": ...}`, N the line's index in
  the input file (from 0). They are objects of the emulator's own bucket
  `zaws-emulator-thing-registration-reports` (AWS keeps them in a bucket of its own), at most
  REPORT_LINES lines each, and ListThingRegistrationTaskReports(taskId, reportType) answers
  presigned GET URLs of them (valid an hour), paginated.
- StopThingRegistrationTask: Cancelling, then Cancelled once the current lines are done; the
  reports hold what was done. ListThingRegistrationTasks lists task ids, newest first, by status.
The tasks live on moto's IoT backend, so they are saved and restored with it; a task restored
InProgress goes on from the line it had reached when it is next described.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from zaws.emulator.one_at_a_time import moto_lock, note_control_plane_change
from zaws.emulator.provisioning_templates import TemplateError, parse_template, resolve
from zaws.emulator.registration_controls import HELD_POLL_S, next_stop
from zaws.emulator.s3_presigned_urls import presign_get
from zaws.operations.fota_iam import allows, statements, trusts_service

REPORTS_BUCKET = "zaws-emulator-thing-registration-reports"
REPORT_LINES = 5000  # lines per report file
LINES_PER_LOCK = 50  # input lines provisioned per hold of moto's lock
RUNNING = ("InProgress", "Cancelling")
URL_EXPIRES_S = 3600

_workers: dict[str, threading.Thread] = {}
_workers_lock = threading.Lock()


@dataclass
class RegistrationTask:
    task_id: str
    account_id: str
    region: str
    template_body: str
    bucket: str
    key: str
    role_arn: str
    created: datetime
    modified: datetime
    status: str = "InProgress"
    message: str = ""
    success: int = 0
    failure: int = 0
    total: int | None = None  # lines of the input file, once read
    next_line: int = 0
    reports: dict[str, list[str]] = field(default_factory=lambda: {"RESULTS": [], "ERRORS": []})
    pending: dict[str, list[str]] = field(default_factory=lambda: {"RESULTS": [], "ERRORS": []})

    def describe(self) -> dict[str, Any]:
        done = self.success + self.failure
        progress = (
            100 if self.status == "Completed" else (100 * done // self.total if self.total else 0)
        )
        answer = {
            "taskId": self.task_id,
            "creationDate": self.created,
            "lastModifiedDate": self.modified,
            "templateBody": self.template_body,
            "inputFileBucket": self.bucket,
            "inputFileKey": self.key,
            "roleArn": self.role_arn,
            "status": self.status,
            "successCount": self.success,
            "failureCount": self.failure,
            "percentageProgress": progress,
        }
        if self.message:
            answer["message"] = self.message
        return answer


def tasks_of(backend: Any) -> dict[str, RegistrationTask]:
    tasks: dict[str, RegistrationTask] | None = getattr(backend, "zaws_registration_tasks", None)
    if tasks is None:
        tasks = {}
        backend.zaws_registration_tasks = tasks
    return tasks


def patch_bulk_registration() -> None:
    from moto.core.responses import ActionResult, EmptyResult
    from moto.iot.exceptions import InvalidRequestException, ResourceNotFoundException
    from moto.iot.responses import IoTResponse

    def task_or_404(backend: Any, task_id: str) -> RegistrationTask:
        task = tasks_of(backend).get(task_id)
        if task is None:
            raise ResourceNotFoundException(f"Thing registration task {task_id} does not exist")
        return task

    def start_thing_registration_task(self: Any) -> Any:
        backend = self.iot_backend
        body = self._get_param("templateBody") or ""
        try:
            parse_template(body)
        except TemplateError as err:
            raise InvalidRequestException(str(err)) from None
        role_arn = self._get_param("roleArn") or ""
        role = _role(self.current_account, role_arn)
        if role is None:
            raise InvalidRequestException(f"The role {role_arn} does not exist")
        if not trusts_service(role.assume_role_policy_document):
            raise InvalidRequestException(f"AWS IoT cannot assume the role {role_arn}")
        if _running_in_account(self.current_account):
            raise InvalidRequestException(
                "Only one bulk registration task can run at a time in an account"
            )
        now = datetime.now(UTC)
        task = RegistrationTask(
            task_id=str(uuid.uuid4()),
            account_id=self.current_account,
            region=self.region,
            template_body=body,
            bucket=self._get_param("inputFileBucket") or "",
            key=self._get_param("inputFileKey") or "",
            role_arn=role_arn,
            created=now,
            modified=now,
        )
        tasks_of(backend)[task.task_id] = task
        _ensure_worker(backend, task)
        return ActionResult({"taskId": task.task_id})

    def describe_thing_registration_task(self: Any) -> Any:
        task = task_or_404(self.iot_backend, self._get_param("taskId"))
        if task.status in RUNNING:
            _ensure_worker(self.iot_backend, task)  # a task restored with the emulator's state
        return ActionResult(task.describe())

    def stop_thing_registration_task(self: Any) -> Any:
        task = task_or_404(self.iot_backend, self._get_param("taskId"))
        if task.status not in RUNNING:
            raise InvalidRequestException(f"The task {task.task_id} is {task.status}")
        task.status = "Cancelling"
        task.modified = datetime.now(UTC)
        return EmptyResult()

    def list_thing_registration_tasks(self: Any) -> Any:
        status = self._get_param("status")
        tasks = sorted(tasks_of(self.iot_backend).values(), key=lambda t: t.created, reverse=True)
        ids = [t.task_id for t in tasks if status in (None, t.status)]
        page, token = _page(ids, self._get_param("nextToken"), self._get_int_param("maxResults"))
        return ActionResult({"taskIds": page, "nextToken": token})

    def list_thing_registration_task_reports(self: Any) -> Any:
        task = task_or_404(self.iot_backend, self._get_param("taskId"))
        report_type = self._get_param("reportType")
        if report_type not in ("RESULTS", "ERRORS"):
            raise InvalidRequestException("reportType must be ERRORS or RESULTS")
        base = f"http://{self.headers.get('Host', '127.0.0.1')}"
        links = [
            presign_get(base, REPORTS_BUCKET, key, task.region, URL_EXPIRES_S)
            for key in task.reports[report_type]
        ]
        page, token = _page(links, self._get_param("nextToken"), self._get_int_param("maxResults"))
        return ActionResult({"resourceLinks": page, "reportType": report_type, "nextToken": token})

    for handler in (
        start_thing_registration_task,
        describe_thing_registration_task,
        stop_thing_registration_task,
        list_thing_registration_tasks,
        list_thing_registration_task_reports,
    ):
        setattr(IoTResponse, handler.__name__, handler)


def _running_in_account(account_id: str) -> bool:
    """A task InProgress or Cancelling in any region of the account (AWS runs one per account)."""
    from moto.iot.models import iot_backends

    return any(
        task.status in RUNNING
        for backend in list(iot_backends[account_id].values())
        for task in tasks_of(backend).values()
    )


def _page(items: list[str], token: str | None, size: int | None) -> tuple[list[str], str | None]:
    start = int(token) if token and token.isdigit() else 0
    size = max(1, min(size or 250, 250))
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


def _role(account_id: str, role_arn: str) -> Any:
    from moto.iam.models import iam_backends

    try:
        return iam_backends[account_id]["global"].get_role_by_arn(role_arn)
    except Exception:  # moto's NotFoundException, or an ARN of nothing
        return None


def _ensure_worker(backend: Any, task: RegistrationTask) -> None:
    with _workers_lock:
        running = _workers.get(task.task_id)
        if running is not None and running.is_alive():
            return
        worker = threading.Thread(
            target=_run, args=(backend, task), name=f"registration-{task.task_id[:8]}", daemon=True
        )
        _workers[task.task_id] = worker
        worker.start()


def _run(backend: Any, task: RegistrationTask) -> None:
    try:
        with moto_lock():
            lines = _input_lines(task)
        if lines is None:
            return
        template = parse_template(task.template_body)
        task.total = len(lines)
        while task.next_line < len(lines) and task.status == "InProgress":
            with moto_lock():
                start = task.next_line
                end = next_stop(task.account_id, start, min(start + LINES_PER_LOCK, len(lines)))
                for offset in range(start, end):
                    _provision_line(backend, task, template, offset, lines[offset])
                task.next_line = end
                task.modified = datetime.now(UTC)
                note_control_plane_change()
            if end == start:  # held by a test's control (`registration_controls.py`)
                time.sleep(HELD_POLL_S)
        with moto_lock():
            _write_reports(task, final=True)
            task.status = "Cancelled" if task.status == "Cancelling" else "Completed"
            task.modified = datetime.now(UTC)
    except Exception as err:  # the task fails; the emulator serves on
        with contextlib.suppress(Exception), moto_lock():  # the reports hold the lines it did
            _write_reports(task, final=True)
        _fail(task, f"The task failed: {err}")


def _input_lines(task: RegistrationTask) -> list[str] | None:
    """The input file's non-empty lines; None (the task Failed) when the role cannot read it."""
    from moto.backends import get_backend

    role = _role(task.account_id, task.role_arn)
    resource = f"arn:aws:s3:::{task.bucket}/{task.key}"
    inline = [s for doc in (role.policies.values() if role else []) for s in statements(doc)]
    if role is None or not allows(inline, "s3:GetObject", resource):
        _fail(task, f"The role {task.role_arn} cannot read s3://{task.bucket}/{task.key}")
        return None
    s3 = get_backend("s3")[task.account_id]["aws"]
    try:
        found = s3.get_object(task.bucket, task.key)
    except Exception:
        found = None
    if found is None:
        _fail(task, f"The input file s3://{task.bucket}/{task.key} does not exist")
        return None
    return [line for line in found.value.decode("utf-8", "replace").splitlines() if line.strip()]


def _fail(task: RegistrationTask, message: str) -> None:
    task.status = "Failed"
    task.message = message
    task.modified = datetime.now(UTC)


def _provision_line(
    backend: Any, task: RegistrationTask, template: dict[str, Any], offset: int, line: str
) -> None:
    try:
        values = json.loads(line)
        if not isinstance(values, dict):
            raise TemplateError("The line is not a JSON object")
        resources = resolve(template, values)
        response = _provision(backend, resources)
    except Exception as err:  # TemplateError, or moto's own (its message is AWS's)
        message = getattr(err, "message", None) or str(err) or type(err).__name__
        task.pending["ERRORS"].append(json.dumps({"offset": offset, "errorMessage": message}))
        task.failure += 1
    else:
        task.pending["RESULTS"].append(json.dumps({"offset": offset, "response": response}))
        task.success += 1
    _write_reports(task, final=False)


def _provision(backend: Any, resources: Any) -> dict[str, Any]:
    """Thing, certificate, policies and attachments for one line; nothing left if one fails."""
    from zaws.emulator.iot_things import existing_thing

    policies = [backend.get_policy(name) for name in resources.policies]  # all exist, or fail
    made_thing = existing_thing(backend, resources.thing_name) is None
    thing = backend.create_thing(
        resources.thing_name, resources.thing_type, {"attributes": resources.attributes}
    )
    try:
        cert = backend.create_certificate_from_csr(
            resources.csr, set_as_active=resources.certificate_active
        )
    except Exception:
        if made_thing:
            backend.delete_thing(resources.thing_name)
        raise
    for policy in policies:
        backend.attach_policy(policy.name, cert.arn)
    backend.attach_thing_principal(resources.thing_name, cert.arn)
    arns: dict[str, str] = {"thing": thing.arn, "certificate": cert.arn}
    if policies:
        arns["policy"] = policies[0].arn
    return {"CertificatePem": cert.certificate_pem, "ResourceArns": arns}


def _write_reports(task: RegistrationTask, *, final: bool) -> None:
    """Report lines become S3 objects of REPORT_LINES lines (the rest when the task ends)."""
    from moto.backends import get_backend

    s3 = get_backend("s3")[task.account_id]["aws"]
    for kind, lines in task.pending.items():
        while len(lines) >= REPORT_LINES or (final and lines):
            chunk, task.pending[kind] = lines[:REPORT_LINES], lines[REPORT_LINES:]
            lines = task.pending[kind]
            if REPORTS_BUCKET not in s3.buckets:
                s3.create_bucket(REPORTS_BUCKET, task.region)
            key = f"{task.task_id}/{kind.lower()}-{len(task.reports[kind]):05d}.json"
            s3.put_object(REPORTS_BUCKET, key, ("\n".join(chunk) + "\n").encode())
            task.reports[kind].append(key)
