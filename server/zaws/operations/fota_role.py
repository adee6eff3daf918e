"""The IAM role a FOTA job names: a role name of the caller's account, or a full role ARN as given.

AWS IoT presigns each device's download with this role, and AWS lets a role be passed only to a
service of the role's own account (iam:PassRole is refused across accounts) and partition. So a
role ARN of another account or partition cannot work: it is refused with that reason instead of
being swapped for the caller's role of the same name. A role ARN of the caller's account is used
exactly as given, and must be the ARN its role really has (a wrong path names no role).
Verification reports the same problems of a job's roleArn as findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from zaws.aws.errors import aws_errors, is_not_found
from zaws.errors import InvalidInput, NotFound
from zaws.operations.fota_findings import Finding, error

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient

    from zaws.aws.clients import AwsClients

ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)
ROLE_ARN = re.compile(
    r"^arn:(?P<partition>aws(?:-[a-z]+)*):iam::(?P<account>\d{12}):role"
    r"(?P<path>/(?:[\x21-\x7e]*/)?)(?P<name>[\w+=,.@-]{1,64})$",
    re.ASCII,
)
ROLE_HINT = "pass the role's name, or its ARN arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME"
REQUIRED_HINT = (
    "pass the IAM role AWS IoT assumes to presign the firmware download, by name or ARN "
    "(`zaws fota-setup --bucket BUCKET --role NAME` creates one)"
)
# Region prefixes of the partitions other than "aws" (botocore's endpoints data, partitions.json).
PARTITION_PREFIXES = (
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-isof-", "aws-iso-f"),
)


@dataclass(frozen=True)
class RoleRef:
    """What the user named: `arn` (with its account, partition and path) only for a full ARN."""

    name: str
    arn: str | None = None
    account: str | None = None
    partition: str | None = None
    path: str = "/"


def parse_role(role: str) -> RoleRef:
    """Syntax only, no AWS call: a role name or a full IAM role ARN."""
    given = role.strip()
    if not given:
        raise InvalidInput("A role is required", REQUIRED_HINT)
    if given.startswith("arn:"):
        match = ROLE_ARN.match(given)
        if match is None:
            raise InvalidInput(f"{given!r} is not an IAM role ARN", ROLE_HINT)
        return RoleRef(
            name=match.group("name"),
            arn=given,
            account=match.group("account"),
            partition=match.group("partition"),
            path=match.group("path"),
        )
    if not ROLE_NAME.match(given):
        raise InvalidInput(
            f"{given!r} is not an IAM role name",
            "use 1-64 letters, digits and +=,.@_- (or pass the role's ARN)",
        )
    return RoleRef(name=given)


def partition_of(region: str) -> str:
    for prefix, partition in PARTITION_PREFIXES:
        if region.startswith(prefix):
            return partition
    return "aws"


def caller_account(clients: AwsClients) -> str:
    with aws_errors("reading the account of the credentials"):
        return str(clients.sts.get_caller_identity()["Account"])


def check_usable(ref: RoleRef, clients: AwsClients, *, doing: str) -> None:
    """A role ARN names the caller's partition and account (a name always does)."""
    if ref.arn is None:
        return
    region = clients.region
    wanted = partition_of(region)
    if ref.partition != wanted:
        raise InvalidInput(
            f"The role {ref.arn} is in partition {ref.partition}, but region {region} is in "
            f"{wanted}: {doing} cannot use it",
            f"pass a role of partition {wanted}, or just the role's name ({ref.name})",
        )
    account = caller_account(clients)
    if ref.account != account:
        raise InvalidInput(
            f"The role {ref.arn} belongs to account {ref.account}, not {account} (the account "
            f"of these credentials): AWS does not pass a role to another account's service",
            f"create the role in account {account} (`zaws fota-setup --bucket BUCKET --role "
            f"{ref.name}`) and pass its name, or use credentials of account {ref.account}",
        )


def existing_role_arn(iam: IAMClient, ref: RoleRef) -> str | None:
    """The ARN of the caller's role of that name; None when there is none."""
    with aws_errors(f"looking up IAM role {ref.name}"):
        try:
            return iam.get_role(RoleName=ref.name)["Role"]["Arn"]
        except ClientError as err:
            if not is_not_found(err):
                raise
    return None


def check_same_role(ref: RoleRef, found: str) -> None:
    """A given ARN is the role's own (role names are unique in an account, whatever the path)."""
    if ref.arn is not None and ref.arn != found:
        raise InvalidInput(
            f"The role {ref.arn} does not exist: the role {ref.name} of this account is {found}",
            f"pass {found}, or just the name {ref.name}",
        )


def role_for_job(clients: AwsClients, role: str) -> str:
    """The roleArn of a job's presignedUrlConfig: the role must exist in the caller's account."""
    ref = parse_role(role)
    check_usable(ref, clients, doing="AWS IoT")
    found = existing_role_arn(clients.iam, ref)
    if found is None:
        raise NotFound(
            f"The IAM role {ref.arn or repr(ref.name)} does not exist",
            f"create it with `zaws fota-setup --bucket BUCKET --role {ref.name}` (a role AWS IoT "
            "can assume, with read access to the bucket), and pass its name",
        )
    check_same_role(ref, found)
    return found


def job_role_findings(role_arn: str, *, account: str, region: str) -> list[Finding]:
    """Why a job's roleArn cannot be this account's role (verification's form of the checks)."""
    match = ROLE_ARN.match(role_arn)
    restart = "start the job again with `zaws iot-fota-start` and a role of this account"
    if match is None:
        return [error("role.arn", f"The job's role {role_arn!r} is not an IAM role ARN", restart)]
    wanted = partition_of(region)
    if match.group("partition") != wanted:
        return [
            error(
                "role.partition",
                f"The job's role {role_arn} is in partition {match.group('partition')}, but "
                f"the job is in {region} ({wanted}): AWS IoT cannot use it",
                restart,
            )
        ]
    if match.group("account") != account:
        return [
            error(
                "role.account",
                f"The job's role {role_arn} belongs to account {match.group('account')}, not "
                f"{account}: AWS IoT of this account cannot use it to presign the download",
                restart,
            )
        ]
    return []
