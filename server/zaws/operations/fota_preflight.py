"""The checks `iot-fota-start` makes before it creates a job that devices could not run.

Between uploading the bytecode and the job document and calling CreateJob, everything that can be
checked before is: the document read back from S3 as AWS IoT will read it, its fields, the URL
validity, the firmware URL's region against the bucket's, the firmware downloaded through a
presigned GET URL and compared with the document, and the role's trust and read access
(fota_checks, the same checks verification makes afterwards). With an error the start is refused
(`FotaJobRefused`, listing every problem with what to do) unless forced; the caller then deletes
what it uploaded. Not checked, since only AWS knows it when it presigns for a device: conditions
in the role's trust or permission policies, organisation policies, the bucket's own policy and
its encryption key. The presigned download is signed with the caller's credentials, not the
role's: a role that trusts only AWS IoT cannot be assumed by a user.
"""

from __future__ import annotations

from dataclasses import dataclass

from zaws.operations.aws_lookups import FotaClients
from zaws.operations.fota_checks import check_job_parts, check_url_validity, read_s3_document
from zaws.operations.fota_document import S3Location
from zaws.operations.fota_findings import FotaJobUnsound, FotaVerification


@dataclass(frozen=True)
class PlannedJob:
    """The job about to be created: its id, where its document is, its presigned-URL config."""

    job_id: str
    document: S3Location
    document_source: str
    role_arn: str
    expires: int


class FotaJobRefused(FotaJobUnsound):
    """The pre-flight found problems: the job was not created (same code as FotaJobUnsound)."""

    def __init__(self, checked: FotaVerification) -> None:
        problems = "; ".join(f"{f.message} ({f.hint})" for f in checked.errors)
        count = len(checked.errors)
        super().__init__(
            f"The FOTA job {checked.job_id} was not created: devices could not run it "
            f"({count} problem{'s' * (count != 1)}: {problems})",
            "fix the problems and start again; --force (force: true) creates the job anyway",
        )
        self.checked = checked


def preflight(clients: FotaClients, planned: PlannedJob) -> FotaVerification:
    """Every finding about the planned job, at once; `ok` when devices could run it."""
    result = FotaVerification(planned.job_id, document_source=planned.document_source)
    check_url_validity(result, planned.expires)
    document = read_s3_document(clients, planned.document, planned.document_source, result)
    if document is not None:
        check_job_parts(
            clients, result, document=document, role_arn=planned.role_arn, expires=planned.expires
        )
    return result
