"""Adding statements to an existing AWS IoT policy, as AWS changes a policy: a new version.

A policy's document never changes in place: CreatePolicyVersion stores a new one and, set as the
default, it applies to every certificate the policy is attached to (and the connections they
have). The language server's code action for main.py's refused topics (checks/topic_permissions)
runs this. Steps:
1. read the default version and merge the statements into it (policy_merge: into the matching
   Allow statement where there is one); nothing missing, no version;
2. check the merged document against AWS's size limit (iot_policy.size) and refuse it before
   any change: AWS would refuse it only after the oldest version had been deleted;
3. list the versions, then read the default version again: if it changed meanwhile (another
   fix, another tool), merge into the new one instead, from step 1;
4. only then, when AWS's 5 versions exist, delete the oldest that is not the default, and create
   the new version as the default.
`seen_version` is the default version the caller's diagnostic was computed on; the result says
which version the statements were merged into (`based_on`), which differs when it changed since.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound
from zaws.iot_policy.size import MAX_POLICY_CHARS, policy_size
from zaws.operations.policy_merge import MergedDocument, merge_statements
from zaws.operations.progress import ProgressCallback, ProgressReport, no_progress

MAX_VERSIONS = 5  # AWS IoT's limit of versions per policy
ATTEMPTS = 3  # reads of a default version that keeps changing under us before giving up


@dataclass(frozen=True)
class PolicyVersionAdded:
    name: str
    version_id: str | None  # None when nothing was missing (no version made)
    added: list[dict[str, Any]]  # the statements added (only the resources that were missing)
    deleted_version: str | None = None  # the oldest non-default version, when 5 existed
    based_on: str | None = None  # the default version the statements were merged into
    seen_version: str | None = None  # the default version the caller had seen, if it said

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def add_policy_statements(
    name: str,
    statements: list[dict[str, Any]],
    *,
    aws: AwsSettings,
    seen_version: str | None = None,
    progress: ProgressCallback | None = None,
) -> PolicyVersionAdded:
    if not statements:
        raise InvalidInput("No statements to add", "name at least one topic to allow")
    from zaws.aws.clients import AwsClients
    from zaws.aws.errors import aws_errors

    report = progress or no_progress
    iot = AwsClients(aws).iot
    for _ in range(ATTEMPTS):
        version, merged = _merged_default(iot, name, statements)
        report(ProgressReport(1, 3, f"merged into version {version} of policy {name}"))
        if not merged.added:
            return PolicyVersionAdded(name, None, [], None, version, seen_version)
        text = json.dumps(merged.document, separators=(",", ":"))
        _check_size(name, text)
        with aws_errors(f"listing the versions of policy {name}"):
            versions = iot.list_policy_versions(policyName=name)["policyVersions"]
        report(ProgressReport(2, 3, f"checking that version {version} is still the default"))
        if _default_version(iot, name) == version:
            break
    else:
        raise InvalidInput(
            f"The default version of policy {name} changed {ATTEMPTS} times while adding to it",
            "try again once nothing else is changing the policy",
        )
    deleted = None
    with aws_errors(f"adding a version to policy {name}"):
        if len(versions) >= MAX_VERSIONS:
            deleted = _oldest_non_default(versions)
            iot.delete_policy_version(policyName=name, policyVersionId=deleted)
        made = iot.create_policy_version(policyName=name, policyDocument=text, setAsDefault=True)
    report(ProgressReport(3, 3, f"version {made['policyVersionId']} is the default"))
    return PolicyVersionAdded(
        name, str(made["policyVersionId"]), merged.added, deleted, version, seen_version
    )


def _merged_default(
    iot: Any, name: str, statements: list[dict[str, Any]]
) -> tuple[str, MergedDocument]:
    policy = _get_policy(iot, name)
    document = json.loads(policy["policyDocument"])
    return str(policy.get("defaultVersionId")), merge_statements(document, statements)


def _default_version(iot: Any, name: str) -> str:
    return str(_get_policy(iot, name).get("defaultVersionId"))


def _get_policy(iot: Any, name: str) -> Any:
    from botocore.exceptions import ClientError

    from zaws.aws.errors import aws_errors, is_not_found

    with aws_errors(f"reading policy {name}"):
        try:
            return iot.get_policy(policyName=name)
        except ClientError as err:
            if not is_not_found(err):
                raise
            raise NotFound(
                f"The policy {name!r} does not exist in this account and region",
                f"create it with `zaws create-policy {name}`",
            ) from None


def _check_size(name: str, text: str) -> None:
    size = policy_size(text)
    if size > MAX_POLICY_CHARS:
        raise InvalidInput(
            f"Policy {name} would be {size} characters with these statements; AWS IoT allows at "
            f"most {MAX_POLICY_CHARS} (whitespace not counted), so nothing was changed",
            "allow a wider topic filter (such as dev/#) instead of many topics, or attach a "
            "second policy to the things' certificates",
        )


def _oldest_non_default(versions: Any) -> str:
    candidates = [v for v in versions if not v.get("isDefaultVersion")]
    return str(min(int(v["versionId"]) for v in candidates))  # AWS numbers versions 1, 2, ...
