"""Adding statements to an existing AWS IoT policy, as AWS changes a policy: a new version.

A policy's document never changes in place: CreatePolicyVersion stores a new one and, set as the
default, it applies to every certificate the policy is attached to (and the connections they
have). AWS keeps at most 5 versions, so when there are 5 the oldest that is not the default is
deleted first. Statements the default version already has are not added again, so running the
same fix twice makes no new version. The language server's code action for main.py's refused
topics (checks/topic_permissions) runs this.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound

MAX_VERSIONS = 5  # AWS IoT's limit of versions per policy


@dataclass(frozen=True)
class PolicyVersionAdded:
    name: str
    version_id: str | None  # None when nothing was missing (no version made)
    added: list[dict[str, Any]]  # the statements added
    deleted_version: str | None = None  # the oldest non-default version, when 5 existed

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def add_policy_statements(
    name: str, statements: list[dict[str, Any]], *, aws: AwsSettings
) -> PolicyVersionAdded:
    if not statements:
        raise InvalidInput("No statements to add", "name at least one topic to allow")
    from botocore.exceptions import ClientError

    from zaws.aws.clients import AwsClients
    from zaws.aws.errors import aws_errors, is_not_found

    iot = AwsClients(aws).iot
    with aws_errors(f"reading policy {name}"):
        try:
            policy = iot.get_policy(policyName=name)
        except ClientError as err:
            if not is_not_found(err):
                raise
            raise NotFound(
                f"The policy {name!r} does not exist in this account and region",
                f"create it with `zaws create-policy {name}`",
            ) from None
    document = json.loads(policy["policyDocument"])
    present = document.get("Statement", [])
    present = present if isinstance(present, list) else [present]
    missing = [s for s in statements if s not in present]
    if not missing:
        return PolicyVersionAdded(name, None, [])
    document["Statement"] = [*present, *missing]
    deleted = None
    with aws_errors(f"adding a version to policy {name}"):
        versions = iot.list_policy_versions(policyName=name)["policyVersions"]
        if len(versions) >= MAX_VERSIONS:
            deleted = _oldest_non_default(versions)
            iot.delete_policy_version(policyName=name, policyVersionId=deleted)
        made = iot.create_policy_version(
            policyName=name, policyDocument=json.dumps(document), setAsDefault=True
        )
    return PolicyVersionAdded(name, str(made["policyVersionId"]), missing, deleted)


def _oldest_non_default(versions: Any) -> str:
    candidates = [v for v in versions if not v.get("isDefaultVersion")]
    return str(min(int(v["versionId"]) for v in candidates))  # AWS numbers versions 1, 2, ...
