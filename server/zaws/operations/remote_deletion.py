"""The AWS side of cleanup for one thing, each step tolerant of what is already gone.

`detach_all` (phase 1) and `delete_thing_and_certificates` (phase 2) are separate so cleanup can
detach everything before deleting anything. Detaching a principal is asynchronous in AWS: deleting
the certificate or the thing right after can fail with a conflict for a few seconds, so those
deletions retry with backoff.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from zaws.aws.errors import error_code, is_not_found, translate

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient

SETTLE_CODES = {"DeleteConflictException", "InvalidRequestException", "CertificateStateException"}
SETTLE_DELAYS_S = (0.2, 0.5, 1, 2, 4, 8)


class Target(Protocol):
    thing_name: str
    cert_arns: list[str]


def detach_all(iot: IoTClient, target: Target) -> None:
    """Detach policies from the thing's certificates and the certificates from the thing."""
    doing = f"detaching the certificates of {target.thing_name}"
    try:
        principals = _principals(iot, target)
        for arn in principals:
            for policy in _attached_policies(iot, arn):
                _ignore_missing(iot.detach_policy, policyName=policy, target=arn)
            _ignore_missing(iot.detach_thing_principal, thingName=target.thing_name, principal=arn)
        target.cert_arns = principals
    except (BotoCoreError, ClientError) as err:
        raise translate(err, doing) from None


def delete_thing_and_certificates(iot: IoTClient, target: Target) -> None:
    doing = f"deleting {target.thing_name} and its certificates"
    try:
        for arn in target.cert_arns:
            cert_id = arn.rsplit("/", 1)[-1]
            _ignore_missing(iot.update_certificate, certificateId=cert_id, newStatus="INACTIVE")
            _settled(
                lambda cert_id=cert_id: _ignore_missing(  # type: ignore[misc]
                    iot.delete_certificate, certificateId=cert_id, forceDelete=False
                )
            )
        _settled(lambda: _ignore_missing(iot.delete_thing, thingName=target.thing_name))
    except (BotoCoreError, ClientError) as err:
        raise translate(err, doing) from None


def _principals(iot: IoTClient, target: Target) -> list[str]:
    """The thing's certificates in AWS, plus the recorded ones (maybe detached, still existing)."""
    found: list[str] = []
    try:
        pages = iot.get_paginator("list_thing_principals").paginate(thingName=target.thing_name)
        for page in pages:
            found.extend(page.get("principals", []))
    except ClientError as err:
        if not is_not_found(err):
            raise
    certificates = [p for p in found if ":cert/" in p]
    return sorted(set(certificates) | set(target.cert_arns))


def _attached_policies(iot: IoTClient, arn: str) -> list[str]:
    try:
        pages = iot.get_paginator("list_attached_policies").paginate(target=arn)
        return [p["policyName"] for page in pages for p in page.get("policies", [])]
    except ClientError as err:
        if is_not_found(err):
            return []
        raise


def _ignore_missing(call: Callable[..., Any], **kwargs: Any) -> None:
    try:
        call(**kwargs)
    except ClientError as err:
        if not is_not_found(err):
            raise


def _settled(action: Callable[[], None]) -> None:
    for delay in (*SETTLE_DELAYS_S, None):
        try:
            action()
            return
        except ClientError as err:
            if error_code(err) not in SETTLE_CODES or delay is None:
                raise
            time.sleep(delay)
