"""`add-things --bulk`: the batch registered by one StartThingRegistrationTask, crash-safe.

Steps: make each thing's key here (0600, fsynced in the journal's staging folder, before anything
goes out) or take the devices' CSRs; write the input file (a line per thing: ThingName and CSR)
to the S3 bucket (`bulk_resources.py`: the user's, or one zaws makes, and the role AWS IoT reads it
with); journal the attempt, start the task with a provisioning template that creates the thing
(marked as the project's), the certificate from the CSR (ACTIVE: its key is on disk already) and
the policy attachment; journal the task id; poll the task, reporting progress; read the results
and errors from the task's reports, however it ended, and record each registered thing as
per-call add-things does (`bulk_reports.py`).

The attempt lives in `.zaws/add-things/bulk-task.json`: after a crash the same command picks the
task up again (by its id, or, if the answer to the start was lost, by its input file among the
account's tasks). Ctrl-C stops the waiting, not the task: it runs on in AWS, and the same command
picks it up. Things the task could not register stay in the plan: the same command registers
them with a new task. AWS runs one task per account at a time: another one running is Busy.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from zaws.aws.clients import AwsClients
from zaws.aws.errors import aws_errors, error_code, translate
from zaws.errors import Busy, OperationCancelled, RemoteFailure
from zaws.operations.bulk_reports import FILE_WORKERS, record_results, recorded
from zaws.operations.bulk_resources import BulkResources, ensure_bulk_resources
from zaws.operations.certificate_keys import csr_pem, key_pem, load_key, make_key
from zaws.operations.progress import Cancellation, ProgressCallback, ProgressReport
from zaws.operations.thing_ownership import owner_attributes
from zaws.project import layout
from zaws.project.add_things_journal import AddThingsJournal, AddThingsPlan
from zaws.project.atomic_files import write_json, write_private
from zaws.project.thing_project import ThingProject

ENDED = ("Completed", "Cancelled", "Failed")
POLL_S = {True: 0.2, False: 2.0}  # local emulator, real AWS
ROLE_PROPAGATION_TRIES = 6  # a new IAM role takes seconds before AWS IoT can assume it


@dataclass(frozen=True)
class BulkRun:
    task_id: str
    bucket: str
    bucket_created: bool


def run_bulk_registration(
    proj: ThingProject,
    journal: AddThingsJournal,
    plan: AddThingsPlan,
    clients: AwsClients,
    report: ProgressCallback,
    cancel: Cancellation,
) -> BulkRun:
    from zaws.operations.add_things import resume_command

    attempt_path = journal.folder / "bulk-task.json"
    attempt = _read(attempt_path)
    resources = ensure_bulk_resources(clients, plan.bucket)
    if attempt is None or attempt.get("finished"):
        todo = [n for n in plan.names if not recorded(proj, n)]
        if not todo:
            return BulkRun(str((attempt or {}).get("task_id", "")), resources.bucket, False)
        number = int((attempt or {}).get("number", 0)) + 1
        attempt = {
            "number": number,
            "names": todo,
            "bucket": resources.bucket,
            "bucket_created": resources.bucket_created,
            "input_key": f"zaws-bulk/{plan.project_id or 'project'}/"
            f"{plan.started:.0f}-{number}.json",
        }
        _upload_input(proj, journal, plan, clients, attempt, report, cancel)
        write_json(attempt_path, attempt)  # before the start: a lost answer is found again
    task_id = attempt.get("task_id") or _find_task(clients, attempt["input_key"])
    if task_id is None:
        not_started = (
            "the keys and the input file are kept; start the task with: "
            + resume_command(proj.root, plan)
        )
        task_id = _start(clients, plan, resources, attempt["input_key"], cancel, not_started)
        attempt["task_id"] = task_id
        write_json(attempt_path, attempt)
    names: list[str] = attempt["names"]
    hint = f"it keeps running in AWS; pick it up with: {resume_command(proj.root, plan)}"
    status = _wait(clients, task_id, len(names), plan, report, cancel, hint)
    # Whatever the end, the reports hold the lines done: each such thing is recorded before the
    # attempt is finished, or the rerun's task would make it a second certificate.
    failures = record_results(proj, journal, plan, clients, task_id, names)
    attempt["finished"] = True
    write_json(attempt_path, attempt)
    missing = len([n for n in plan.names if not recorded(proj, n)])
    if status["status"] == "Failed":
        raise RemoteFailure(
            f"The bulk registration task {task_id} failed: {status.get('message', 'no reason')} "
            f"({missing} of {plan.count} things not registered)",
            "fix that, then run the same command again to register them with a new task",
        )
    if failures or status["status"] == "Cancelled":
        first = next(iter(failures.items()), ("", "the task was stopped"))
        raise RemoteFailure(
            f"{missing} of {plan.count} things were not registered: "
            + (f"{first[0]}: {first[1]}" if first[0] else first[1]),
            "run the same command again to register them with a new task",
        )
    return BulkRun(task_id, str(attempt["bucket"]), bool(attempt.get("bucket_created")))


def template_body(plan: AddThingsPlan) -> str:
    """The provisioning template: the thing (marked as the project's), its certificate from the
    line's CSR, ACTIVE, and the project's policy attached to it."""
    attributes = owner_attributes(plan.project_id) if plan.project_id else {}
    return json.dumps(
        {
            "Parameters": {"ThingName": {"Type": "String"}, "CSR": {"Type": "String"}},
            "Resources": {
                "thing": {
                    "Type": "AWS::IoT::Thing",
                    "Properties": {
                        "ThingName": {"Ref": "ThingName"},
                        "AttributePayload": attributes,
                    },
                },
                "certificate": {
                    "Type": "AWS::IoT::Certificate",
                    "Properties": {
                        "CertificateSigningRequest": {"Ref": "CSR"},
                        "Status": "ACTIVE",
                    },
                },
                "policy": {
                    "Type": "AWS::IoT::Policy",
                    "Properties": {"PolicyName": plan.policy_name},
                },
            },
        }
    )


def _upload_input(
    proj: ThingProject,
    journal: AddThingsJournal,
    plan: AddThingsPlan,
    clients: AwsClients,
    attempt: dict[str, Any],
    report: ProgressCallback,
    cancel: Cancellation,
) -> None:
    """Each thing's CSR (its key made and saved first), one JSON line each, to the bucket."""
    requests = plan.csr_requests()
    names: list[str] = attempt["names"]
    made = [0]
    lock = threading.Lock()

    def line_of(name: str) -> bytes:
        if cancel.is_cancelled:
            raise OperationCancelled(
                f"Stopped while making keys ({made[0]} of {len(names)})",
                "run the same command again to go on (the keys made are kept)",
            )
        pem = requests[name].pem if name in requests else _local_csr(journal, plan, name)
        with lock:
            made[0] += 1
            if made[0] % 500 == 0 or made[0] == len(names):
                report(ProgressReport(0, len(names), f"made {made[0]} of {len(names)} requests"))
        return json.dumps({"ThingName": name, "CSR": pem}).encode() + b"\n"

    # Writing a key is an fsynced file each: many at once overlap on the disk.
    with ThreadPoolExecutor(FILE_WORKERS, thread_name_prefix="bulk-keys") as pool:
        lines = list(pool.map(line_of, names))
    with aws_errors(f"writing the input file to s3://{attempt['bucket']}"):
        clients.s3().put_object(
            Bucket=attempt["bucket"], Key=attempt["input_key"], Body=b"".join(lines)
        )


def _local_csr(journal: AddThingsJournal, plan: AddThingsPlan, name: str) -> str:
    key_path = journal.staging(name) / layout.PRIVATE_KEY
    if key_path.is_file():  # made by an earlier attempt: the same key again
        key = load_key(key_path.read_bytes())
    else:
        key = make_key(plan.key_type or "ec-p256")
        write_private(key_path, key_pem(key))
    return csr_pem(key, name)


def _start(
    clients: AwsClients,
    plan: AddThingsPlan,
    resources: BulkResources,
    input_key: str,
    cancel: Cancellation,
    hint: str,
) -> str:
    tries = ROLE_PROPAGATION_TRIES if resources.role_created and not clients.settings.local else 1
    for attempt in range(tries):
        try:
            return clients.iot.start_thing_registration_task(
                templateBody=template_body(plan),
                inputFileBucket=resources.bucket,
                inputFileKey=input_key,
                roleArn=resources.role_arn,
            )["taskId"]
        except ClientError as err:
            message = str(err.response.get("Error", {}).get("Message", ""))
            if error_code(err) == "InvalidRequestException" and "one bulk" in message.lower():
                raise Busy(
                    "Another bulk registration task is running in this account (AWS runs one "
                    "at a time)",
                    "wait until it ends (aws iot list-thing-registration-tasks), then run the "
                    "same command again",
                ) from None
            if attempt + 1 < tries and error_code(err) == "InvalidRequestException":
                if cancel.wait(2.0 * (attempt + 1)):  # the new role is not yet assumable
                    raise OperationCancelled(
                        "Stopped before the bulk registration task started", hint
                    ) from None
                continue
            raise translate(err, "starting the bulk registration task") from None
        except BotoCoreError as err:
            raise translate(err, "starting the bulk registration task") from None
    raise AssertionError("unreachable")


def _find_task(clients: AwsClients, input_key: str) -> str | None:
    """The account's task for this input file: a start whose answer was lost."""
    with aws_errors("looking for the bulk registration task started before"):
        token = None
        while True:
            page = (
                clients.iot.list_thing_registration_tasks(nextToken=token)
                if token
                else clients.iot.list_thing_registration_tasks()
            )
            for task_id in page.get("taskIds", []):
                found = clients.iot.describe_thing_registration_task(taskId=task_id)
                if found.get("inputFileKey") == input_key:
                    return task_id
            token = page.get("nextToken")
            if not token:
                return None


def _wait(
    clients: AwsClients,
    task_id: str,
    total: int,
    plan: AddThingsPlan,
    report: ProgressCallback,
    cancel: Cancellation,
    hint: str,
) -> dict[str, Any]:
    interval = POLL_S[clients.settings.local]
    already = plan.count - total
    while True:
        with aws_errors(f"reading the bulk registration task {task_id}"):
            status: dict[str, Any] = dict(
                clients.iot.describe_thing_registration_task(taskId=task_id)
            )
        done = int(status.get("successCount", 0)) + int(status.get("failureCount", 0))
        report(
            ProgressReport(
                already + min(done, total),
                plan.count,
                f"task {task_id[:8]}: {status['status']}, {status.get('percentageProgress', 0)}%",
            )
        )
        if status["status"] in ENDED:
            return status
        if cancel.wait(interval):
            raise OperationCancelled(
                f"Stopped waiting for the bulk registration task {task_id} "
                f"({done} of {total} done)",
                hint,
            )


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
