"""The emulator refuses policy documents over AWS IoT's 2048 characters, whitespace not counted,
through real boto3: MalformedPolicyException, nothing stored; up to the limit is accepted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from zaws.aws.settings import AwsSettings
from zaws.iot_policy.size import MAX_POLICY_CHARS, policy_size


def document_of(size: int) -> str:
    """A valid policy document of exactly `size` characters (whitespace not counted), indented."""
    base = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish"}]}
    base["Statement"][0]["Resource"] = "arn:aws:iot:*:*:topic/"
    padding = size - policy_size(json.dumps(base))
    base["Statement"][0]["Resource"] += "a" * padding
    text = json.dumps(base, indent=4)  # whitespace AWS does not count
    assert policy_size(text) == size
    return text


def test_create_policy_refuses_a_document_over_the_limit(aws: AwsSettings, boto: Any) -> None:
    iot = boto("iot")
    with pytest.raises(ClientError) as refused:
        iot.create_policy(policyName="big", policyDocument=document_of(MAX_POLICY_CHARS + 1))
    assert refused.value.response["Error"]["Code"] == "MalformedPolicyException"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "2048" in refused.value.response["Error"]["Message"]
    assert iot.list_policies()["policies"] == []
    iot.create_policy(policyName="big", policyDocument=document_of(MAX_POLICY_CHARS))


def test_create_policy_version_refuses_a_document_over_the_limit(
    aws: AwsSettings, boto: Any
) -> None:
    iot = boto("iot")
    iot.create_policy(policyName="p", policyDocument=document_of(200))
    with pytest.raises(ClientError) as refused:
        iot.create_policy_version(
            policyName="p", policyDocument=document_of(MAX_POLICY_CHARS + 1), setAsDefault=True
        )
    assert refused.value.response["Error"]["Code"] == "MalformedPolicyException"
    versions = iot.list_policy_versions(policyName="p")["policyVersions"]
    assert [(v["versionId"], v["isDefaultVersion"]) for v in versions] == [("1", True)]
    made = iot.create_policy_version(
        policyName="p", policyDocument=document_of(MAX_POLICY_CHARS), setAsDefault=True
    )
    assert made["policyVersionId"] == "2"
