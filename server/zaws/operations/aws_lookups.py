"""Small AWS look-ups with errors that say what is missing and how to fix it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from zaws.aws.errors import aws_errors, is_not_found
from zaws.errors import NotFound

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_iot import IoTClient
    from mypy_boto3_s3 import S3Client

    from zaws.aws.clients import AwsClients
    from zaws.aws.settings import AwsSettings


def thing_arn(iot: IoTClient, thing: str) -> str:
    with aws_errors(f"looking up thing {thing}"):
        try:
            return iot.describe_thing(thingName=thing)["thingArn"]
        except ClientError as err:
            if not is_not_found(err):
                raise
    raise NotFound(
        f"The thing {thing!r} does not exist in AWS IoT",
        "check the name (`zaws list-things PROJECT`) and the region",
    )


def role_arn(iam: IAMClient, role: str) -> str:
    """The ARN of a role given by name or ARN; the role must exist."""
    name = role.rsplit("/", 1)[-1] if role.startswith("arn:") else role
    with aws_errors(f"looking up IAM role {name}"):
        try:
            return iam.get_role(RoleName=name)["Role"]["Arn"]
        except ClientError as err:
            if not is_not_found(err):
                raise
    raise NotFound(
        f"The IAM role {name!r} does not exist",
        "create a role AWS IoT can assume with read access to the bucket, and pass its name",
    )


def bucket_region(s3: S3Client, bucket: str) -> str:
    with aws_errors(f"looking up bucket {bucket}"):
        try:
            location = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint")
        except ClientError as err:
            if not is_not_found(err):
                raise
            raise NotFound(
                f"The S3 bucket {bucket!r} does not exist",
                "create it (`aws s3 mb s3://NAME`) or check the name",
            ) from None
    if not location:
        return "us-east-1"
    return "eu-west-1" if location == "EU" else str(location)


class FotaClients:
    """AwsClients whose S3 clients are made once per region: a FOTA start and its verification
    use S3 in two regions many times, and building a boto3 client takes a few hundred ms."""

    def __init__(self, clients: AwsClients) -> None:
        self.clients = clients
        self._s3: dict[str, S3Client] = {}

    @classmethod
    def of(cls, aws: AwsSettings) -> FotaClients:
        from zaws.aws.clients import AwsClients

        return cls(AwsClients(aws))

    @property
    def iot(self) -> IoTClient:
        return self.clients.iot

    @property
    def iam(self) -> IAMClient:
        return self.clients.iam

    def s3(self, region: str | None = None) -> S3Client:
        region = region or self.clients.region
        if region not in self._s3:
            self._s3[region] = self.clients.s3(region)
        return self._s3[region]
