"""The checks of a FOTA job's parts that verification and the pre-flight share.

A job is sound when its document (read from S3, where AWS IoT reads it) has what the Zerynth
device library needs, the firmware URL names the bucket's own region, the firmware downloads
through a presigned GET URL with the size and MD5 the document says, and the role exists in this
account, trusts AWS IoT and may read the object. `check_job_parts` makes those checks on a
document and a role, whether the job exists yet (fota_verify) or not (fota_preflight), and records
every finding at once. The download is signed with the caller's credentials (a role trusting only
AWS IoT cannot be assumed by a user): the role's own access is checked by reading its policies.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from typing import Any

from botocore.exceptions import ClientError

from zaws.errors import NotFound
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
from zaws.operations.fota_findings import FotaVerification


def check_url_validity(result: FotaVerification, expires: int) -> None:
    result.check(
        "job.url_validity",
        MIN_DURATION_S <= expires <= MAX_DURATION_S,
        f"The presigned URL validity is {expires} s; AWS allows {MIN_DURATION_S}-{MAX_DURATION_S}",
        "start the job again with --duration within that range",
    )


def read_s3_document(
    clients: FotaClients, location: S3Location, source: str, result: FotaVerification
) -> object | None:
    """The job document at `location` (the job's documentSource), parsed; None with a finding."""
    from zaws.aws.errors import aws_errors

    with aws_errors(f"reading the job document {source}"):
        try:
            s3 = clients.s3(location.region)
            body = s3.get_object(Bucket=location.bucket, Key=location.key)["Body"]
            return parse_document(body.read().decode("utf-8", "replace"), result)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") not in {"NoSuchKey", "NoSuchBucket"}:
                raise
    result.fail(
        "document.exists",
        f"The job document {source} is missing from S3; AWS IoT cannot serve the job",
        REMAKE_HINT,
    )
    return None


def parse_document(text: str, result: FotaVerification) -> object | None:
    try:
        parsed: object = json.loads(text)
        return parsed
    except ValueError as err:
        result.fail("document.json", f"The job document is not JSON ({err})", REMAKE_HINT)
        return None


def check_job_parts(
    clients: FotaClients,
    result: FotaVerification,
    *,
    document: object,
    role_arn: str | None,
    expires: int,
) -> None:
    """The document's fields, the firmware's region and download, the role; all into `result`."""
    document_findings = check_document(document)
    result.findings.extend(document_findings)
    if not document_findings:
        result.passed.append("document.fields")
    if not isinstance(document, dict):
        return
    url = bytecode_url(document)
    location = s3_location(url) if url else None
    if url is None or location is None:
        return
    result.firmware_url = url
    region = _bucket_region(clients, location, result)
    if region is not None:
        _download(clients, location, region, expires, document, result)
    if result.check(
        "job.role",
        bool(role_arn),
        "The job has no presigned-URL role, so AWS IoT will not substitute the URL",
        REMAKE_HINT,
    ):
        assert role_arn is not None
        _check_role(clients, role_arn, location, result)


def _check_role(
    clients: FotaClients, role_arn: str, location: S3Location, result: FotaVerification
) -> None:
    from zaws.aws.errors import aws_errors
    from zaws.operations.fota_iam import role_findings
    from zaws.operations.fota_role import caller_account, job_role_findings

    found = job_role_findings(
        role_arn, account=caller_account(clients.clients), region=clients.clients.region
    )
    if not found:
        with aws_errors(f"inspecting the role {role_arn}"):
            found = role_findings(clients.iam, role_arn, location.bucket, location.key)
    result.findings.extend(found)
    if not found:
        result.passed.append("role")


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
