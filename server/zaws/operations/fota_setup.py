"""`fota-setup`: the S3 bucket and the IAM role a FOTA job needs, created when missing.

The seed only says "an S3 read role must be assigned"; this makes it one command. The role trusts
AWS IoT (iot.amazonaws.com) and may only read objects of that one bucket. Existing resources are
left as they are, and reported as such. The role may be named by a full ARN of the caller's
account (its path is kept when the role is created); one of another account or partition, which
no job of this account could use, is refused before the bucket is made (see fota_role).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from zaws.aws.settings import AwsSettings
from zaws.operations.fota_start import parse_bucket

ROLE_POLICY_NAME = "zaws-fota-read-firmware"


def trust_policy() -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "iot.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def read_bucket_policy(bucket: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
        ],
    }


@dataclass(frozen=True)
class FotaSetupDone:
    bucket: str
    bucket_region: str
    bucket_created: bool
    role_name: str
    role_arn: str
    role_created: bool

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def fota_setup(bucket: str, role: str, *, aws: AwsSettings) -> FotaSetupDone:
    from zaws.aws.clients import AwsClients
    from zaws.aws.errors import aws_errors
    from zaws.errors import NotFound
    from zaws.operations.aws_lookups import bucket_region
    from zaws.operations.fota_role import (
        check_same_role,
        check_usable,
        existing_role_arn,
        parse_role,
    )

    name, _ = parse_bucket(bucket)
    ref = parse_role(role)
    clients = AwsClients(aws)
    check_usable(ref, clients, doing="a FOTA job of this account")
    arn = existing_role_arn(clients.iam, ref)
    if arn is not None:
        check_same_role(ref, arn)
    s3 = clients.s3()
    bucket_created = False
    try:
        region = bucket_region(s3, name)
    except NotFound:
        region = clients.region
        with aws_errors(f"creating bucket {name}"):
            if region == "us-east-1":
                s3.create_bucket(Bucket=name)
            else:
                s3.create_bucket(
                    Bucket=name,
                    CreateBucketConfiguration={"LocationConstraint": region},  # type: ignore[typeddict-item]
                )
            bucket_created = True

    role_name = ref.name
    role_created = False
    if arn is None:
        with aws_errors(f"creating IAM role {role_name}"):
            arn = clients.iam.create_role(
                RoleName=role_name,
                Path=ref.path,
                AssumeRolePolicyDocument=json.dumps(trust_policy()),
                Description="Lets AWS IoT presign firmware downloads for Zerynth FOTA jobs",
            )["Role"]["Arn"]
            clients.iam.put_role_policy(
                RoleName=role_name,
                PolicyName=ROLE_POLICY_NAME,
                PolicyDocument=json.dumps(read_bucket_policy(name)),
            )
            role_created = True
    return FotaSetupDone(
        bucket=name,
        bucket_region=str(region),
        bucket_created=bucket_created,
        role_name=role_name,
        role_arn=arn,
        role_created=role_created,
    )
