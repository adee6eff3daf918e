"""The AWS side of cleanup for one thing: look first, then touch only what the project made.

`survey` reads what exists (the project's certificates, the thing, its mark and its principals)
and decides: the project's certificates are detached and deleted; the thing is deleted only if it
is the project's and nothing else is attached to it, otherwise it stays and the reason is said.
The same survey is the dry run's plan and the real run's, so `--dry-run` shows what will happen.
`detach` (phase 1) and `delete` (phase 2) are separate so cleanup can detach everything before
deleting anything. Each step tolerates what is already gone, and counts only what it deleted.
Detaching is asynchronous in AWS: deleting right after can fail with a conflict for a few
seconds, so deletions retry with backoff.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from zaws.aws.errors import error_code, is_not_found, translate
from zaws.operations.thing_ownership import describe_remote_thing

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient

SETTLE_CODES = {"DeleteConflictException", "InvalidRequestException", "CertificateStateException"}
SETTLE_DELAYS_S = (0.2, 0.5, 1, 2, 4, 8)

DELETE, KEEP, GONE = "delete", "keep", "gone"


@dataclass
class CleanupTarget:
    """One thing of the project and what cleanup does with it."""

    thing_name: str
    cert_arns: list[str]  # the project's certificates of this thing (after the survey: existing)
    recorded: bool  # has a local record (False: from an unfinished add-things run)
    thing_action: str = DELETE  # delete | keep (it stays in AWS) | gone (already deleted)
    reason: str | None = None  # why the thing stays


class SurveyedTargets:
    """What a plan of cleanup or remove-thing says, counted from its surveyed targets."""

    targets: list[CleanupTarget]

    @property
    def things_to_delete(self) -> list[str]:
        return [t.thing_name for t in self.targets if t.thing_action == DELETE]

    @property
    def things_to_keep(self) -> list[CleanupTarget]:
        return [t for t in self.targets if t.thing_action == KEEP]

    @property
    def certificates_to_delete(self) -> int:
        return sum(len(t.cert_arns) for t in self.targets)


@dataclass
class Deleted:
    certificates: int = 0
    thing: bool = False
    kept_reason: str | None = None


def survey(iot: IoTClient, target: CleanupTarget, project_id: str | None) -> None:
    """Fill in what exists and decide the thing's fate (no change in AWS)."""
    name = target.thing_name
    try:
        target.cert_arns = [arn for arn in target.cert_arns if _certificate_exists(iot, arn)]
        remote = describe_remote_thing(iot, name)
        if not remote.exists:
            target.thing_action, target.reason = GONE, None
            return
        principals = _principals(iot, name)
        ours = set(target.cert_arns)
        others = [p for p in principals if p not in ours]
        if remote.owner is not None and remote.owner != project_id:
            target.thing_action, target.reason = KEEP, "made by another zaws project"
        elif others:
            target.thing_action = KEEP
            target.reason = f"{_counted(len(others), 'other principal')} attached ({others[0]})"
        elif remote.owner is None and not ours & set(principals):
            target.thing_action = KEEP
            target.reason = "not marked as this project's, and none of its certificates is attached"
        else:
            target.thing_action, target.reason = DELETE, None
    except (BotoCoreError, ClientError) as err:
        raise translate(err, f"looking up {name} and its certificates") from None


def survey_all(
    iot: IoTClient, targets: list[CleanupTarget], project_id: str | None, *, workers: int
) -> None:
    """`survey` each target, on a pool of workers (a ZawsError of any stops the plan)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda target: survey(iot, target, project_id), targets))


def detach(iot: IoTClient, target: CleanupTarget) -> None:
    """Detach policies from the project's certificates, and the certificates from the thing."""
    try:
        for arn in target.cert_arns:
            for policy in _attached_policies(iot, arn):
                _ignore_missing(iot.detach_policy, policyName=policy, target=arn)
            if target.thing_action != GONE:
                _ignore_missing(
                    iot.detach_thing_principal, thingName=target.thing_name, principal=arn
                )
    except (BotoCoreError, ClientError) as err:
        raise translate(err, f"detaching the certificates of {target.thing_name}") from None


def delete(iot: IoTClient, target: CleanupTarget) -> Deleted:
    """Delete the project's certificates, then the thing if the survey said so and still may."""
    done = Deleted()
    try:
        for arn in target.cert_arns:
            cert_id = arn.rsplit("/", 1)[-1]
            _deactivate(iot, cert_id)
            if _settled(partial(_delete_certificate, iot, cert_id)):
                done.certificates += 1
        if target.thing_action == DELETE:
            left = _principals(iot, target.thing_name)
            if left:  # attached meanwhile by someone else
                done.kept_reason = f"{_counted(len(left), 'other principal')} attached ({left[0]})"
            else:
                done.thing = _settled(partial(_delete_thing, iot, target.thing_name))
        elif target.thing_action == KEEP:
            done.kept_reason = target.reason
    except (BotoCoreError, ClientError) as err:
        raise translate(err, f"deleting {target.thing_name} and its certificates") from None
    return done


def _deactivate(iot: IoTClient, cert_id: str) -> None:
    """INACTIVE before deleting; a REVOKED certificate stays so (AWS deletes it as it is)."""
    try:
        _ignore_missing(iot.update_certificate, certificateId=cert_id, newStatus="INACTIVE")
    except ClientError as err:
        if error_code(err) != "CertificateStateException":
            raise


def _certificate_exists(iot: IoTClient, arn: str) -> bool:
    try:
        iot.describe_certificate(certificateId=arn.rsplit("/", 1)[-1])
    except ClientError as err:
        if is_not_found(err):
            return False
        raise
    return True


def _principals(iot: IoTClient, thing: str) -> list[str]:
    found: list[str] = []
    try:
        for page in iot.get_paginator("list_thing_principals").paginate(thingName=thing):
            found.extend(page.get("principals", []))
    except ClientError as err:
        if not is_not_found(err):
            raise
    return sorted(found)


def _attached_policies(iot: IoTClient, arn: str) -> list[str]:
    try:
        pages = iot.get_paginator("list_attached_policies").paginate(target=arn)
        return [p["policyName"] for page in pages for p in page.get("policies", [])]
    except ClientError as err:
        if is_not_found(err):
            return []
        raise


def _delete_certificate(iot: IoTClient, cert_id: str) -> bool:
    return _deleted(iot.delete_certificate, certificateId=cert_id, forceDelete=False)


def _delete_thing(iot: IoTClient, name: str) -> bool:
    return _deleted(iot.delete_thing, thingName=name)


def _deleted(call: Callable[..., Any], **kwargs: Any) -> bool:
    """True when the call deleted it now, False when it was already gone."""
    try:
        call(**kwargs)
    except ClientError as err:
        if is_not_found(err):
            return False
        raise
    return True


def _ignore_missing(call: Callable[..., Any], **kwargs: Any) -> None:
    _deleted(call, **kwargs)


def _settled(action: Callable[[], bool]) -> bool:
    for delay in (*SETTLE_DELAYS_S, None):
        try:
            return action()
        except ClientError as err:
            if error_code(err) not in SETTLE_CODES or delay is None:
                raise
            time.sleep(delay)
    raise AssertionError("unreachable")


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
