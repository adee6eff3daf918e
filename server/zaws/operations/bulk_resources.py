"""The S3 bucket and the IAM role a bulk registration task needs, made when missing.

StartThingRegistrationTask reads its input file from a bucket of the user's (`--bucket`, or one
zaws creates, `zaws-bulk-registration-<account>-<region>`, and says so) with a role that AWS IoT
assumes: it trusts iot.amazonaws.com, as fota-setup's role does (`fota_setup.trust_policy`), may
read that bucket's objects, and may make the things, certificates and policy attachments the
template asks for (the actions of AWS's managed policy AWSIoTThingsRegistration). An existing role
of that name is used as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from zaws.aws.clients import AwsClients
from zaws.aws.errors import aws_errors
from zaws.errors import NotFound
from zaws.operations.aws_lookups import bucket_region
from zaws.operations.fota_role import RoleRef, caller_account, existing_role_arn
from zaws.operations.fota_setup import trust_policy
from zaws.operations.fota_start import parse_bucket

ROLE_NAME = "zaws-bulk-registration"
ROLE_POLICY_NAME = "zaws-bulk-registration"
REGISTRATION_ACTIONS = [
    "iot:AddThingToThingGroup",
    "iot:AttachPolicy",
    "iot:AttachPrincipalPolicy",
    "iot:AttachThingPrincipal",
    "iot:CreateCertificateFromCsr",
    "iot:CreatePolicy",
    "iot:CreateThing",
    "iot:DescribeCertificate",
    "iot:DescribeThing",
    "iot:DescribeThingGroup",
    "iot:DescribeThingType",
    "iot:GetPolicy",
    "iot:ListAttachedPolicies",
    "iot:ListPolicyPrincipals",
    "iot:ListPrincipalPolicies",
    "iot:ListPrincipalThings",
    "iot:ListTargetsForPolicy",
    "iot:ListThingGroupsForThing",
    "iot:ListThingPrincipals",
    "iot:RegisterCertificate",
    "iot:RegisterThing",
    "iot:UpdateCertificate",
    "iot:UpdateThing",
    "iot:UpdateThingGroupsForThing",
]


@dataclass(frozen=True)
class BulkResources:
    bucket: str
    bucket_created: bool
    role_arn: str
    role_created: bool


def default_bucket(clients: AwsClients) -> str:
    return f"zaws-bulk-registration-{caller_account(clients)}-{clients.region}"


def role_policy(bucket: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"},
            {"Effect": "Allow", "Action": REGISTRATION_ACTIONS, "Resource": "*"},
        ],
    }


def ensure_bulk_resources(clients: AwsClients, bucket: str | None) -> BulkResources:
    name = parse_bucket(bucket)[0] if bucket else default_bucket(clients)
    s3 = clients.s3()
    created = False
    try:
        bucket_region(s3, name)
    except NotFound:
        if bucket is not None:  # named by the user: never made behind their back
            raise NotFound(
                f"The S3 bucket {name!r} does not exist",
                "create it (`aws s3 mb s3://NAME`), or leave out --bucket and zaws makes one",
            ) from None
        with aws_errors(f"creating bucket {name}"):
            if clients.region == "us-east-1":
                s3.create_bucket(Bucket=name)
            else:
                s3.create_bucket(
                    Bucket=name,
                    CreateBucketConfiguration={"LocationConstraint": clients.region},  # type: ignore[typeddict-item]
                )
        created = True
    arn = existing_role_arn(clients.iam, RoleRef(ROLE_NAME))
    role_created = arn is None
    with aws_errors(f"creating IAM role {ROLE_NAME}"):
        if arn is None:
            arn = clients.iam.create_role(
                RoleName=ROLE_NAME,
                AssumeRolePolicyDocument=json.dumps(trust_policy()),
                Description="Lets AWS IoT read zaws's bulk registration input files",
            )["Role"]["Arn"]
        # The bucket may be new to an existing role: it may read this one too.
        clients.iam.put_role_policy(
            RoleName=ROLE_NAME,
            PolicyName=f"{ROLE_POLICY_NAME}-{name}"[:128],
            PolicyDocument=json.dumps(role_policy(name)),
        )
    return BulkResources(name, created, arn, role_created)
