"""The operation names the fault proxy derives from botocore's models, for the calls zaws makes."""

from __future__ import annotations

import pytest

from tests.support.aws_operations import resolve, signing_service

IOT = {
    "authorization": "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/iot/aws4_request, x"
}
S3 = {"authorization": "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/s3/aws4_request, x"}


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", "/keys-and-certificate?setAsActive=true", "CreateKeysAndCertificate"),
        ("POST", "/things/dev_1", "CreateThing"),
        ("GET", "/things/dev_1", "DescribeThing"),
        ("DELETE", "/things/dev_1", "DeleteThing"),
        ("GET", "/things", "ListThings"),
        ("PUT", "/target-policies/my-policy", "AttachPolicy"),
        ("POST", "/target-policies/my-policy", "DetachPolicy"),
        ("PUT", "/things/dev_1/principals", "AttachThingPrincipal"),
        ("DELETE", "/things/dev_1/principals", "DetachThingPrincipal"),
        ("GET", "/things/dev_1/principals", "ListThingPrincipals"),
        ("PUT", "/certificates/abc123?newStatus=INACTIVE", "UpdateCertificate"),
        ("DELETE", "/certificates/abc123", "DeleteCertificate"),
        ("GET", "/certificates/abc123", "DescribeCertificate"),
        ("GET", "/principal-policies", "ListPrincipalPolicies"),
        ("POST", "/attached-policies/arn%3Aaws%3Aiot%3Acert", "ListAttachedPolicies"),
    ],
)
def test_iot_operations(method: str, path: str, expected: str) -> None:
    operation = resolve(method, path, IOT)
    assert (operation.service, operation.name, operation.protocol) == ("iot", expected, "rest-json")


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("PUT", "/bucket", "CreateBucket"),
        ("PUT", "/bucket/dir/key.bin", "PutObject"),
        ("GET", "/bucket?list-type=2", "ListObjectsV2"),
        ("POST", "/bucket/dir/key.bin?uploads", "CreateMultipartUpload"),
    ],
)
def test_s3_path_style_operations(method: str, path: str, expected: str) -> None:
    assert resolve(method, path, S3).name == expected


def test_query_and_unsigned_requests() -> None:
    sts = {"authorization": IOT["authorization"].replace("/iot/", "/sts/")}
    assert resolve("POST", "/", sts, b"Action=GetCallerIdentity&Version=2011-06-15").name == (
        "GetCallerIdentity"
    )
    unsigned = resolve("POST", "/moto-api/reset", {})
    assert (unsigned.name, unsigned.key) == (None, "unknown:unknown")
    presigned = "/b/k?X-Amz-Credential=testing%2F20250101%2Fus-east-1%2Fs3%2Faws4_request"
    assert signing_service(presigned, {}) == "s3"
