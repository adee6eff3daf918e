"""Finding and deleting certificates whose private key never reached the disk.

CreateKeysAndCertificate returns the key once. If zaws dies (or the connection drops) between
AWS creating the certificate and the key being written, the certificate is an orphan: nobody can
ever use it. zaws creates certificates INACTIVE and activates them only once the key is saved, so
an orphan is a certificate that is INACTIVE, attached to nothing, created during the run, and
unknown to the project. Only those are deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from zaws.aws.errors import aws_errors

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient

CLOCK_SKEW = dt.timedelta(minutes=5)


def delete_orphan_certificates(
    iot: IoTClient, *, since_epoch: float, known_ids: Iterable[str]
) -> list[str]:
    """Delete the orphans created since `since_epoch` (minus clock skew); returns their ids."""
    since = dt.datetime.fromtimestamp(since_epoch, dt.UTC) - CLOCK_SKEW
    known = set(known_ids)
    deleted: list[str] = []
    with aws_errors("looking for certificates whose key was lost"):
        for page in iot.get_paginator("list_certificates").paginate(
            ascendingOrder=False, PaginationConfig={"PageSize": 250}
        ):
            for cert in page["certificates"]:
                created = cert["creationDate"].astimezone(dt.UTC)
                if created < since or cert["status"] != "INACTIVE":
                    continue
                if cert["certificateId"] in known:
                    continue
                if _is_attached(iot, cert["certificateArn"]):
                    continue
                iot.delete_certificate(certificateId=cert["certificateId"])
                deleted.append(cert["certificateId"])
    return deleted


def _is_attached(iot: IoTClient, arn: str) -> bool:
    if iot.list_principal_things(principal=arn).get("things"):
        return True
    return bool(iot.list_attached_policies(target=arn).get("policies"))
