"""`iot-fota-verify`: will this FOTA job really work on a device? Checked before any device tries.

It reads the job and its document, then makes the checks it shares with the pre-flight of
`iot-fota-start` (fota_checks: the document's fields, the firmware URL's region, a presigned
download compared with the document's size and MD5, the role's account, existence, trust and read
access), and checks the URL validity is within AWS's 60-3600 s. Every problem is reported at once,
each with what to do.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from zaws.aws.settings import AwsSettings
from zaws.errors import NotFound
from zaws.operations.aws_lookups import FotaClients
from zaws.operations.fota_checks import (
    check_job_parts,
    check_url_validity,
    parse_document,
    read_s3_document,
)
from zaws.operations.fota_document import s3_location
from zaws.operations.fota_findings import FotaJobUnsound, FotaVerification

if TYPE_CHECKING:
    from mypy_boto3_iot.type_defs import DescribeJobResponseTypeDef, JobTypeDef

__all__ = ["FotaJobUnsound", "FotaVerification", "verify_fota_job"]

DESCRIBED_SOURCE = re.compile(r"\(document (https://\S+)\)")


def verify_fota_job(
    job_id: str,
    *,
    aws: AwsSettings,
    project: Path | None = None,
    document_source: str | None = None,
    clients: FotaClients | None = None,
) -> FotaVerification:
    """`clients`: those of the operation that just started the job (building clients is slow)."""
    clients = clients or FotaClients.of(aws)
    described = _describe(clients, job_id)
    job = described["job"]
    document_source = document_source or described.get("documentSource")
    # Reported even when get_job_document answers the document itself (then it is not read).
    result = FotaVerification(job_id, document_source=document_source)
    config = job.get("presignedUrlConfig") or {}
    expires = int(config.get("expiresInSec", 1800))  # AWS's default when unset
    check_url_validity(result, expires)
    document = _document(clients, job, result, project, document_source)
    if document is None:
        return result
    role_arn = config.get("roleArn")
    check_job_parts(
        clients,
        result,
        document=document,
        role_arn=str(role_arn) if role_arn else None,
        expires=expires,
    )
    return result


def _describe(clients: FotaClients, job_id: str) -> DescribeJobResponseTypeDef:
    from zaws.aws.errors import aws_errors, is_not_found

    with aws_errors(f"reading job {job_id}"):
        try:
            return clients.iot.describe_job(jobId=job_id)
        except ClientError as err:
            if not is_not_found(err):
                raise
    raise NotFound(
        f"There is no job {job_id!r} in AWS IoT",
        "check the id and the region (`zaws iot-fota-jobs PROJECT` lists a project's jobs)",
    )


def _document_source(job: JobTypeDef, project: Path | None, given: str | None) -> str | None:
    """Where the job's document is: `given` (describe_job's documentSource, which AWS answers
    beside the job, not in it); without one, the project's record, then the URL zaws writes into
    the job's description."""
    if given:
        return given
    if project is not None:
        from zaws.project.fota_jobs_record import FotaJobsRecord

        recorded = FotaJobsRecord(project).get(str(job.get("jobId")))
        if recorded is not None:
            return recorded.document_source
    match = DESCRIBED_SOURCE.search(str(job.get("description", "")))
    return match.group(1) if match else None


def _document(
    clients: FotaClients,
    job: JobTypeDef,
    result: FotaVerification,
    project: Path | None,
    given: str | None,
) -> object | None:
    from zaws.aws.errors import aws_errors

    job_id = result.job_id
    with aws_errors(f"reading the document of job {job_id}"):
        inline = clients.iot.get_job_document(jobId=job_id).get("document") or ""
    if inline:  # the job's document (the emulator gives "" for a documentSource job)
        return parse_document(inline, result)
    source = _document_source(job, project, given)
    result.document_source = source
    location = s3_location(source) if source else None
    if location is None:
        result.fail(
            "document.location",
            f"Cannot tell where the document of job {job_id} is"
            + (f" ({source} is not an S3 URL)" if source else ""),
            "pass --project PATH of the project it was started from",
        )
        return None
    assert source is not None
    return read_s3_document(clients, location, source, result)
