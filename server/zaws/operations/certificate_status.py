"""`revoke-certificate` and `activate-certificate`: stop one thing's certificate now, or restore it.

A board is lost or stolen: its certificate must stop working at once. REVOKED is final (AWS never
lets a revoked certificate become active again; the thing then needs a new certificate);
`--deactivate` makes it INACTIVE instead, which `activate-certificate` reverses. The thing's record
notes the status (`certificate_status` in its thing.conf.json), so list-things, the diagnostics and
set-active-thing know it without asking AWS. Only the certificate the project's record names is
touched.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from botocore.exceptions import ClientError

from zaws.aws.errors import aws_errors, is_not_found
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound
from zaws.project.lock import project_lock
from zaws.project.thing_project import ThingProject

STATUSES = ("REVOKED", "INACTIVE", "ACTIVE")


@dataclass(frozen=True)
class CertificateStatusChanged:
    project: str
    thing_name: str
    certificate_id: str
    previous_status: str
    status: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def set_certificate_status(
    project: Path, thing_name: str, status: str, *, aws: AwsSettings
) -> CertificateStatusChanged:
    from zaws.aws.clients import AwsClients

    if status not in STATUSES:
        raise InvalidInput(f"Unknown certificate status {status!r}", f"use one of {STATUSES}")
    proj = ThingProject.open(project)
    with project_lock(proj.state_dir, "revoke-certificate"):
        record = proj.thing(thing_name)
        iot = AwsClients(aws).iot
        with aws_errors(f"changing the certificate of {record.name}"):
            try:
                described = iot.describe_certificate(certificateId=record.cert_id)
            except ClientError as err:
                if is_not_found(err):
                    raise NotFound(
                        f"The certificate of {record.name} ({record.cert_id[:12]}...) is not in "
                        f"{aws.describe()}",
                        "remove the thing with `zaws remove-thing PROJECT NAME`",
                    ) from None
                raise
            previous = described["certificateDescription"]["status"]
            _refuse_transition(record.name, previous, status)
            iot.update_certificate(certificateId=record.cert_id, newStatus=status)  # type: ignore[arg-type]
        proj.record_certificate_status(record, status)
    return CertificateStatusChanged(str(proj.root), record.name, record.cert_id, previous, status)


def _refuse_transition(thing: str, previous: str, wanted: str) -> None:
    if previous == wanted:
        raise InvalidInput(
            f"The certificate of {thing} is {previous} already",
            "nothing to do" if wanted != "REVOKED" else "a revoked certificate stays revoked",
        )
    if previous == "REVOKED":
        raise InvalidInput(
            f"The certificate of {thing} is revoked: AWS never lets it become "
            f"{wanted.lower()} again",
            f"give the thing a new certificate: zaws rotate-certificate PROJECT {thing}",
        )
