"""Can the job's role do what AWS IoT needs: trust iot.amazonaws.com, s3:GetObject the firmware?

AWS IoT signs each device's download URL with the role named in the job's presignedUrlConfig. A
role that is missing, that AWS IoT may not assume, or that may not read the object gives devices a
URL that fails with 403, found only in the field. This reads the role's trust policy and its inline
and attached policies and evaluates them with a deliberately simple evaluator: Allow/Deny, Action
and NotAction, Resource and NotResource, with `*` and `?` wildcards; conditions are not evaluated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from botocore.exceptions import ClientError

from zaws.aws.errors import DENIED_CODES, error_code, is_not_found
from zaws.operations.fota_findings import Finding, error, warning

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient

IOT_SERVICE = "iot.amazonaws.com"


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _matches(pattern: str, value: str, *, ignore_case: bool) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def _any(patterns: Iterable[object], value: str, *, ignore_case: bool) -> bool:
    return any(_matches(str(p), value, ignore_case=ignore_case) for p in patterns)


def statements(document: object) -> list[dict[str, Any]]:
    """The statements of a policy document given as a dict or as (URL-encoded) JSON text."""
    if isinstance(document, str):
        try:
            document = json.loads(unquote(document) if document.startswith("%") else document)
        except ValueError:
            return []
    if not isinstance(document, dict):
        return []
    return [s for s in _as_list(document.get("Statement")) if isinstance(s, dict)]


def _applies(statement: dict[str, Any], action: str, resource: str) -> bool:
    if "NotAction" in statement:
        action_ok = not _any(_as_list(statement["NotAction"]), action, ignore_case=True)
    else:
        action_ok = _any(_as_list(statement.get("Action")), action, ignore_case=True)
    if "NotResource" in statement:
        resource_ok = not _any(_as_list(statement["NotResource"]), resource, ignore_case=False)
    else:
        resource_ok = _any(_as_list(statement.get("Resource")), resource, ignore_case=False)
    return action_ok and resource_ok


def allows(all_statements: Iterable[dict[str, Any]], action: str, resource: str) -> bool:
    """An Allow applies and no Deny does (IAM's explicit-deny rule)."""
    applicable = [s for s in all_statements if _applies(s, action, resource)]
    if any(s.get("Effect") == "Deny" for s in applicable):
        return False
    return any(s.get("Effect") == "Allow" for s in applicable)


def trusts_service(trust_document: object, service: str = IOT_SERVICE) -> bool:
    for statement in statements(trust_document):
        actions = _as_list(statement.get("Action"))
        principal = statement.get("Principal")
        services = _as_list(principal.get("Service")) if isinstance(principal, dict) else []
        if (
            statement.get("Effect") == "Allow"
            and _any(actions, "sts:AssumeRole", ignore_case=True)
            and service in services
        ):
            return True
    return False


def role_name(role_arn: str) -> str:
    return role_arn.rsplit("/", 1)[-1]


def role_findings(iam: IAMClient, role_arn: str, bucket: str, key: str) -> list[Finding]:
    """Every reason the role would not let AWS IoT presign a download of `bucket/key`.

    `role_arn` is a role ARN of the caller's account and partition (fota_role checks that)."""
    name = role_name(role_arn)
    partition = role_arn.split(":", 2)[1]
    object_arn = f"arn:{partition}:s3:::{bucket}/{key}"
    setup_hint = f"run `zaws fota-setup --bucket {bucket} --role {name}`"
    try:
        role = iam.get_role(RoleName=name)["Role"]
        policy_statements = list(_role_statements(iam, name))
    except ClientError as err:
        if is_not_found(err) and error_code(err) == "NoSuchEntity":
            return [
                error(
                    "role.exists",
                    f"The job's role {name!r} does not exist: AWS IoT cannot presign the download",
                    f"{setup_hint} (it creates the role with this name, which fixes the job)",
                )
            ]
        if error_code(err) in DENIED_CODES:
            return [
                warning(
                    "role.readable",
                    f"Could not inspect the role {name!r}: {error_code(err)}",
                    "use a profile that may read IAM roles (iam:GetRole, iam:List*Policies, "
                    "iam:GetPolicy*) to check it",
                )
            ]
        raise
    if role.get("Arn") != role_arn:  # names are unique in an account, whatever the path
        return [
            error(
                "role.exists",
                f"The job's role {role_arn} does not exist (the role {name!r} of this account is "
                f"{role.get('Arn')}): AWS IoT cannot presign the download",
                f"start the job again with `zaws iot-fota-start` and the role {name}",
            )
        ]
    found: list[Finding] = []
    if not trusts_service(role.get("AssumeRolePolicyDocument")):
        found.append(
            error(
                "role.trust",
                f"The role {name!r} does not let AWS IoT ({IOT_SERVICE}) assume it",
                f"add a trust statement allowing {IOT_SERVICE} sts:AssumeRole, or {setup_hint} "
                "with a new role name and start the job again",
            )
        )
    if not allows(policy_statements, "s3:GetObject", object_arn):
        found.append(
            error(
                "role.s3_read",
                f"The role {name!r} may not read {object_arn} (s3:GetObject)",
                f"give it a policy allowing s3:GetObject on arn:aws:s3:::{bucket}/*",
            )
        )
    return found


def _role_statements(iam: IAMClient, name: str) -> Iterator[dict[str, Any]]:
    for page in iam.get_paginator("list_role_policies").paginate(RoleName=name):
        for policy_name in page["PolicyNames"]:
            document = iam.get_role_policy(RoleName=name, PolicyName=policy_name)
            yield from statements(document["PolicyDocument"])
    for attached_page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=name):
        for attached in attached_page["AttachedPolicies"]:
            arn = attached.get("PolicyArn", "")
            version = iam.get_policy(PolicyArn=arn)["Policy"].get("DefaultVersionId", "v1")
            found = iam.get_policy_version(PolicyArn=arn, VersionId=version)
            yield from statements(found["PolicyVersion"].get("Document"))
