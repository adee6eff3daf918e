"""The RESULTS and ERRORS reports of a bulk registration task: each registered thing recorded.

AWS writes the reports as JSON lines behind presigned URLs: a RESULTS line names the input line
(`offset`) and the certificate made for it, an ERRORS line why that input line failed. They are
read whatever the task's end (Completed, Cancelled or Failed: the lines it did are in them), so
no thing AWS made is left without its local record. A line zaws cannot read (not JSON, or without
what AWS documents in it) does not stop the others: every readable line is recorded first, then
RemoteFailure names the task, the report and the line; the attempt stays open, so the same
command reads the reports again.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from zaws.aws.clients import AwsClients
from zaws.aws.errors import aws_errors
from zaws.errors import RemoteFailure
from zaws.project import layout
from zaws.project.add_things_journal import AddThingsJournal, AddThingsPlan
from zaws.project.atomic_files import write_text
from zaws.project.device_key import DeviceKey, write_device_key
from zaws.project.thing_project import ThingProject

FILE_WORKERS = 32  # keys and records written at once (each an fsynced file: they overlap)


class UnreadableLine(ValueError):
    """A report line without what AWS documents in it; the message says what is missing."""


@dataclass(frozen=True)
class ReportLine:
    kind: str  # RESULTS or ERRORS
    file: int  # the report file's number, from 1
    number: int  # the line's number in that file, from 1
    text: str

    def where(self, task_id: str) -> str:
        return f"line {self.number} of {self.kind} report {self.file} of task {task_id}"


def record_results(
    proj: ThingProject,
    journal: AddThingsJournal,
    plan: AddThingsPlan,
    clients: AwsClients,
    task_id: str,
    names: list[str],
) -> dict[str, str]:
    """Each registered thing recorded from the RESULTS report; {thing: why} from ERRORS."""
    requests = plan.csr_requests()
    unreadable: list[str] = []
    lock = threading.Lock()

    def record(line: ReportLine) -> None:
        try:
            name, certificate_pem, certificate_arn = result_of(line.text, names)
        except UnreadableLine as err:
            with lock:
                unreadable.append(f"{line.where(task_id)}: {err}")
            return
        if recorded(proj, name):
            return
        staging = journal.staging(name)
        if name in requests:
            request = requests[name]
            write_device_key(staging, DeviceKey(request.file, request.fingerprint))
        write_text(staging / layout.CERTIFICATE, certificate_pem)
        proj.record_thing(name, certificate_arn, staging)

    with ThreadPoolExecutor(FILE_WORKERS, thread_name_prefix="bulk-records") as pool:
        for lines in report_files(clients, task_id, "RESULTS"):
            list(pool.map(record, lines))
    failures: dict[str, str] = {}
    for lines in report_files(clients, task_id, "ERRORS"):
        for line in lines:
            try:
                name, why = error_of(line.text, names)
            except UnreadableLine as err:
                unreadable.append(f"{line.where(task_id)}: {err}")
                continue
            failures[name] = why
    if unreadable:
        raise RemoteFailure(
            f"{len(unreadable)} line(s) of the reports AWS wrote for the bulk registration task "
            f"cannot be read; the first: {unreadable[0]}",
            "run the same command again: it reads the task's reports again (the things "
            "recorded so far are kept)",
        )
    return failures


def result_of(text: str, names: list[str]) -> tuple[str, str, str]:
    """A RESULTS line's thing, certificate PEM and certificate ARN."""
    line = _json_object(text)
    name = _name_at(line, names)
    response = line.get("response")
    if not isinstance(response, dict):
        raise UnreadableLine("it has no response")
    arns = response.get("ResourceArns") or response.get("resourceArns")
    certificate_arn = arns.get("certificate") if isinstance(arns, dict) else None
    certificate_pem = response.get("CertificatePem")
    if not isinstance(certificate_arn, str) or not isinstance(certificate_pem, str):
        raise UnreadableLine("its response has no certificate (CertificatePem and its ARN)")
    return name, certificate_pem, certificate_arn


def error_of(text: str, names: list[str]) -> tuple[str, str]:
    """An ERRORS line's thing and why it was not registered."""
    line = _json_object(text)
    return _name_at(line, names), str(line.get("errorMessage") or "no reason given")


def _json_object(text: str) -> dict[str, Any]:
    try:
        line = json.loads(text)
    except ValueError:
        raise UnreadableLine(f"it is not JSON: {text[:80]!r}") from None
    if not isinstance(line, dict):
        raise UnreadableLine(f"it is not a JSON object: {text[:80]!r}")
    return line


def _name_at(line: dict[str, Any], names: list[str]) -> str:
    offset = line.get("offset")
    if isinstance(offset, str) and offset.isdigit():
        offset = int(offset)
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset < len(names):
        raise UnreadableLine(f"its offset {offset!r} is not a line of the input file")
    return names[offset]


def report_files(clients: AwsClients, task_id: str, kind: str) -> Iterator[list[ReportLine]]:
    """The report's lines, one file at a time (10,000 certificates are never in memory at once)."""
    token = None
    number = 0
    while True:
        with aws_errors(f"listing the {kind.lower()} of task {task_id}"):
            page = (
                clients.iot.list_thing_registration_task_reports(
                    taskId=task_id,
                    reportType=kind,  # type: ignore[arg-type]
                    nextToken=token,
                )
                if token
                else clients.iot.list_thing_registration_task_reports(
                    taskId=task_id,
                    reportType=kind,  # type: ignore[arg-type]
                )
            )
        for link in page.get("resourceLinks", []):
            number += 1
            yield _download_lines(link, kind, number)
        token = page.get("nextToken")
        if not token:
            return


def _download_lines(url: str, kind: str, number: int) -> list[ReportLine]:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:  # a presigned URL
            text = answer.read().decode("utf-8", "replace")
    except OSError as err:
        raise RemoteFailure(
            f"Could not download a report of the bulk registration task: {err}",
            "run the same command again to read the reports again",
        ) from None
    return [
        ReportLine(kind, number, index + 1, line)
        for index, line in enumerate(text.splitlines())
        if line.strip()
    ]


def recorded(proj: ThingProject, name: str) -> bool:
    return (proj.resources_dir / name / layout.THING_CONF).is_file()
