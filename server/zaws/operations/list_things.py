"""`list-things`: the project's things, the active one marked, remote status on request.

Local listing reads only the project's files: each thing says which of its key and certificate
files are missing (such a thing cannot be made active), and folders of `.aws_things_resources/`
that are not things' records are listed apart, as stray records. With `remote=True` it asks AWS
whether each thing and its certificate still exist and whether the certificate is ACTIVE.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from zaws.aws.settings import AwsSettings
from zaws.project.add_things_journal import AddThingsJournal
from zaws.project.thing_project import ThingProject, ThingRecord


@dataclass
class ThingInfo:
    name: str
    index: int | None
    cert_arn: str
    folder: str
    active: bool
    remote: dict[str, object] | None = None
    missing_files: list[str] = field(default_factory=list)  # private.pem.key, certificate.pem.crt
    certificate_status: str | None = None  # INACTIVE or REVOKED when zaws stopped it
    key_on_device: bool = False  # made from the device's CSR: no private.pem.key, on purpose


@dataclass
class ThingList:
    project: str
    base_name: str | None
    active_thing: str | None
    things: list[ThingInfo] = field(default_factory=list)
    pending_add_things: bool = False
    stray_records: list[dict[str, str]] = field(default_factory=list)  # {"folder", "reason"}

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def list_things(
    project: Path, *, aws: AwsSettings | None = None, remote: bool = False
) -> ThingList:
    proj = ThingProject.open(project)
    active = proj.active_thing_name
    conf = proj.zawsconf()
    records, strays = proj.records()
    result = ThingList(
        project=str(proj.root),
        base_name=conf.thing_base_name if conf else None,
        active_thing=active,
        pending_add_things=AddThingsJournal(proj.state_dir).plan_path.exists(),
        stray_records=[stray.to_dict() for stray in strays],
    )
    for record in records:
        parts = record.base_and_index
        result.things.append(
            ThingInfo(
                name=record.name,
                index=parts[1] if parts else None,
                cert_arn=record.cert_arn,
                folder=str(record.folder),
                active=record.name == active,
                missing_files=record.missing_files,
                certificate_status=record.certificate_status,
                key_on_device=record.key_on_device,
            )
        )
    if remote and aws is not None and records:
        statuses = remote_status(records, aws)
        for info in result.things:
            info.remote = statuses[info.name]
    return result


def remote_status(records: list[ThingRecord], aws: AwsSettings) -> dict[str, dict[str, object]]:
    """Per thing: {"thing_exists", "certificate_status"} as AWS sees them now."""
    from botocore.exceptions import ClientError

    from zaws.aws.clients import AwsClients
    from zaws.aws.errors import aws_errors, is_not_found

    clients = AwsClients(aws)
    iot = clients.iot

    def check(record: ThingRecord) -> tuple[str, dict[str, object]]:
        status: dict[str, object] = {"thing_exists": True, "certificate_status": None}
        with aws_errors(f"checking thing {record.name}"):
            try:
                iot.describe_thing(thingName=record.name)
            except ClientError as err:
                if not is_not_found(err):
                    raise
                status["thing_exists"] = False
            try:
                described = iot.describe_certificate(certificateId=record.cert_id)
                status["certificate_status"] = described["certificateDescription"]["status"]
            except ClientError as err:
                if not is_not_found(err):
                    raise
                status["certificate_status"] = "MISSING"
        return record.name, status

    with ThreadPoolExecutor(max_workers=clients.workers) as pool:
        return dict(pool.map(check, records))
