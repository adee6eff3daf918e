"""A job's document as a device receives it: read from its source, placeholders presigned.

A job has its document inline or in S3 (`documentSource`, what `zaws iot-fota-start` writes). AWS
replaces each `${aws:iot:s3-presigned-url:<S3 object URL>}` in it with a presigned GET URL of that
object when a device fetches the document (never at creation), valid for the job's
`presignedUrlConfig.expiresInSec` (default 3600). On the emulator the URL is the emulator's own
S3 over HTTPS (`https://127.0.0.1:<port>/<bucket>/<key>?X-Amz-...`, `s3_https.py`: its
certificate from the emulator's root), which `s3_presigned_urls` refuses once expired or altered.
"""

from __future__ import annotations

import json
import re
from typing import Any

from zaws.emulator.s3_presigned_urls import presign_get
from zaws.operations.fota_document import s3_location

PLACEHOLDER = re.compile(r"\$\{aws:iot:s3-presigned-url:(https://[^}\s\"]+)\}")
DEFAULT_EXPIRES_S = 3600


def job_document(job: Any, s3_base_url: str) -> object:
    """The document (a JSON value, or the text when it is not JSON) with its URLs presigned."""
    text = _document_text(job)
    config = job.presigned_url_config or {}
    expires = int(config.get("expiresInSec") or DEFAULT_EXPIRES_S)

    def presigned(match: re.Match[str]) -> str:
        location = s3_location(match.group(1))
        if location is None:
            return match.group(0)  # not an S3 object URL: AWS would fail; the device sees it
        region = location.region or job.region_name
        return presign_get(s3_base_url, location.bucket, location.key, region, expires)

    text = PLACEHOLDER.sub(presigned, text)
    try:
        return json.loads(text)
    except ValueError:
        return text


def _document_text(job: Any) -> str:
    if job.document:
        return str(job.document)
    location = s3_location(str(job.document_source or ""))
    if location is None:
        return ""
    from moto.backends import get_backend

    s3 = get_backend("s3")[job.account_id]["aws"]
    try:
        key = s3.get_object(location.bucket, location.key)
    except Exception:  # moto's NoSuchBucket / MissingKey: the document is gone
        return ""
    return bytes(key.value).decode("utf-8", "replace") if key is not None else ""
