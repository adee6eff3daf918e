"""`iot-fota-verify`: will this FOTA job really work on a device? Checked before any device tries.

It reads the job and its document, checks the document has what the Zerynth device library needs,
resolves the presigned-URL placeholder as AWS would (a presigned GET of that S3 object), downloads
the firmware and checks its size and MD5 against the document, checks the role is one of this
account and partition (AWS IoT can use no other), exists, trusts AWS IoT and may read the object,
and that the URL validity is within AWS's 60-3600 s. Every problem is reported at once, each with
what to do. The download is signed with the caller's credentials (a role trusting only AWS IoT
cannot be assumed by a user): the role's own access is checked by reading its policies.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from zaws.aws.settings import AwsSettings
from zaws.errors import NotFound, ZawsError
from zaws.operations.aws_lookups import FotaClients
from zaws.operations.fota_document import (
    MAX_BYTECODE_BYTES,
    MAX_DURATION_S,
    MIN_DURATION_S,
    REMAKE_HINT,
    S3Location,
    bytecode_url,
    check_document,
    s3_location,
)
from zaws.operations.fota_findings import Finding, error

if TYPE_CHECKING:
    from mypy_boto3_iot.type_defs import DescribeJobResponseTypeDef, JobTypeDef

DESCRIBED_SOURCE = re.compile(r"\(document (https://\S+)\)")


class FotaJobUnsound(ZawsError):
    """Verification found problems: devices would fail to update."""

    code = "zaws.fotaJobUnsound"
    rpc_code = -32018


@dataclass
class FotaVerification:
    job_id: str
    findings: list[Finding] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)  # ids of the checks that passed
    document_source: str | None = None
    firmware_url: str | None = None

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "ok": self.ok}

    def fail(self, check: str, message: str, hint: str) -> None:
        self.findings.append(error(check, message, hint))

    def check(self, check: str, good: bool, message: str, hint: str) -> bool:
        if good:
            self.passed.append(check)
        else:
            self.fail(check, message, hint)
        return good


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
    result.check(
        "job.url_validity",
        MIN_DURATION_S <= expires <= MAX_DURATION_S,
        f"The presigned URL validity is {expires} s; AWS allows {MIN_DURATION_S}-{MAX_DURATION_S}",
        "start the job again with --duration within that range",
    )
    document = _document(clients, job, result, project, document_source)
    if document is None:
        return result
    document_findings = check_document(document)
    result.findings.extend(document_findings)
    if not document_findings:
        result.passed.append("document.fields")
    if not isinstance(document, dict):
        return result
    url = bytecode_url(document)
    location = s3_location(url) if url else None
    if url is None or location is None:
        return result
    result.firmware_url = url
    region = _bucket_region(clients, location, result)
    if region is not None:
        _download(clients, location, region, expires, document, result)
    role_arn = config.get("roleArn")
    if result.check(
        "job.role",
        bool(role_arn),
        "The job has no presigned-URL role, so AWS IoT will not substitute the URL",
        REMAKE_HINT,
    ):
        from zaws.aws.errors import aws_errors
        from zaws.operations.fota_iam import role_findings
        from zaws.operations.fota_role import caller_account, job_role_findings

        found = job_role_findings(
            str(role_arn), account=caller_account(clients.clients), region=clients.clients.region
        )
        if not found:
            with aws_errors(f"inspecting the role of job {job_id}"):
                found = role_findings(clients.iam, str(role_arn), location.bucket, location.key)
        result.findings.extend(found)
        if not found:
            result.passed.append("role")
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
        return _parse(inline, result)
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
    with aws_errors(f"reading the document of job {job_id}"):
        try:
            s3 = clients.s3(location.region)
            body = s3.get_object(Bucket=location.bucket, Key=location.key)["Body"]
            return _parse(body.read().decode("utf-8", "replace"), result)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") not in {"NoSuchKey", "NoSuchBucket"}:
                raise
    result.fail(
        "document.exists",
        f"The job document {source} is missing from S3; AWS IoT cannot serve the job",
        REMAKE_HINT,
    )
    return None


def _parse(text: str, result: FotaVerification) -> object | None:
    try:
        parsed: object = json.loads(text)
        return parsed
    except ValueError as err:
        result.fail("document.json", f"The job document is not JSON ({err})", REMAKE_HINT)
        return None


def _bucket_region(
    clients: FotaClients, location: S3Location, result: FotaVerification
) -> str | None:
    from zaws.operations.aws_lookups import bucket_region

    try:
        region = bucket_region(clients.s3(), location.bucket)
    except NotFound:
        result.fail(
            "firmware.bucket",
            f"The firmware's bucket {location.bucket!r} does not exist",
            REMAKE_HINT,
        )
        return None
    named = location.region or "us-east-1"  # the global URL form only works for us-east-1
    result.check(
        "firmware.url_region",
        named == region,
        f"The firmware URL names region {named}, but bucket {location.bucket} is in {region}; "
        "devices would get a redirect or an error",
        REMAKE_HINT,
    )
    return region


def _download(
    clients: FotaClients,
    location: S3Location,
    region: str,
    expires: int,
    document: dict[str, Any],
    result: FotaVerification,
) -> None:
    """Download as a device would, through a presigned GET URL, and compare size and MD5."""
    from zaws.aws.errors import aws_errors

    with aws_errors("presigning the firmware URL"):
        url = clients.s3(region).generate_presigned_url(
            "get_object",
            Params={"Bucket": location.bucket, "Key": location.key},
            ExpiresIn=min(max(expires, MIN_DURATION_S), MAX_DURATION_S),
        )
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read(MAX_BYTECODE_BYTES + 1)
    except urllib.error.HTTPError as err:
        missing = err.code == 404
        result.fail(
            "firmware.download",
            f"Downloading the firmware s3://{location.bucket}/{location.key} failed: "
            + ("the object does not exist" if missing else f"HTTP {err.code}"),
            REMAKE_HINT if missing else "check that your profile may read the object",
        )
        return
    except (urllib.error.URLError, OSError) as err:
        result.fail(
            "firmware.download",
            f"Could not download the firmware: {err}",
            "check the network and run the verification again",
        )
        return
    result.passed.append("firmware.download")
    size, md5 = len(data), hashlib.md5(data).hexdigest()
    result.check(
        "firmware.size",
        size == document.get("bc_size"),
        f"The firmware is {size} bytes but the document says {document.get('bc_size')}",
        REMAKE_HINT,
    )
    result.check(
        "firmware.md5",
        md5 == document.get("bc_crc"),
        f"The firmware's MD5 is {md5} but the document says {document.get('bc_crc')}; "
        "devices would reject it",
        REMAKE_HINT,
    )
