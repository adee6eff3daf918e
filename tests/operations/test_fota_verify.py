"""Verification on the emulator: a good job passes; each broken job is caught, all at once."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.support.device_playback import FotaStage, prepare_stage
from zaws.aws.settings import AwsSettings
from zaws.errors import NotFound
from zaws.operations.fota_setup import ROLE_POLICY_NAME
from zaws.operations.fota_start import FotaStarted, start_fota
from zaws.operations.fota_verify import FotaVerification, verify_fota_job


@pytest.fixture
def stage(aws: AwsSettings, tmp_path: Path) -> FotaStage:
    """A bucket, a role AWS IoT can use, and a firmware file in the `link -J` format."""
    return prepare_stage(aws, tmp_path)


@pytest.fixture
def job(aws: AwsSettings, stage: FotaStage, boto: Any) -> FotaStarted:
    boto("iot").create_thing(thingName="dev_0")
    return start_fota("dev_0", stage.firmware, stage.bucket, stage.role, aws=aws, verify=False)


def failed(result: FotaVerification) -> list[str]:
    return sorted(f.check for f in result.findings if f.severity == "error")


def test_a_good_job_passes_every_check(aws: AwsSettings, job: FotaStarted) -> None:
    result = verify_fota_job(job.job_id, aws=aws)
    assert result.ok and result.findings == []
    assert {
        "job.url_validity",
        "document.fields",
        "firmware.download",
        "firmware.size",
        "firmware.md5",
        "firmware.url_region",
        "role",
    } <= set(result.passed)


def test_firmware_whose_md5_differs_from_the_document_is_caught(
    aws: AwsSettings, job: FotaStarted, stage: FotaStage, boto: Any
) -> None:
    same_size = bytes(reversed(stage.bytecode))
    boto("s3").put_object(Bucket=job.bucket, Key=job.bytecode_key, Body=same_size)
    result = verify_fota_job(job.job_id, aws=aws)
    assert failed(result) == ["firmware.md5"]
    assert "firmware.size" in result.passed


def test_a_missing_firmware_object_is_caught(aws: AwsSettings, job: FotaStarted, boto: Any) -> None:
    boto("s3").delete_object(Bucket=job.bucket, Key=job.bytecode_key)
    result = verify_fota_job(job.job_id, aws=aws)
    assert failed(result) == ["firmware.download"]
    assert "does not exist" in result.findings[0].message


def test_a_missing_job_document_is_caught(aws: AwsSettings, job: FotaStarted, boto: Any) -> None:
    boto("s3").delete_object(Bucket=job.bucket, Key=job.job_document_key)
    assert failed(verify_fota_job(job.job_id, aws=aws)) == ["document.exists"]


def test_a_missing_role_is_caught_with_the_command_that_recreates_it(
    aws: AwsSettings, job: FotaStarted, stage: FotaStage, boto: Any
) -> None:
    iam = boto("iam")
    iam.delete_role_policy(RoleName=stage.role, PolicyName=ROLE_POLICY_NAME)
    iam.delete_role(RoleName=stage.role)
    result = verify_fota_job(job.job_id, aws=aws)
    assert failed(result) == ["role.exists"]
    assert f"fota-setup --bucket {stage.bucket} --role {stage.role}" in result.findings[0].hint


def test_a_role_aws_iot_may_not_assume_is_caught(
    aws: AwsSettings, job: FotaStarted, stage: FotaStage, boto: Any
) -> None:
    ec2_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    boto("iam").update_assume_role_policy(RoleName=stage.role, PolicyDocument=json.dumps(ec2_only))
    assert failed(verify_fota_job(job.job_id, aws=aws)) == ["role.trust"]


def test_a_role_that_may_not_read_the_object_is_caught(
    aws: AwsSettings, job: FotaStarted, stage: FotaStage, boto: Any
) -> None:
    boto("iam").delete_role_policy(RoleName=stage.role, PolicyName=ROLE_POLICY_NAME)
    assert failed(verify_fota_job(job.job_id, aws=aws)) == ["role.s3_read"]


def test_a_url_validity_out_of_range_and_other_problems_are_all_reported_at_once(
    aws: AwsSettings, job: FotaStarted, stage: FotaStage, boto: Any
) -> None:
    # AWS refuses such a job; the emulator accepts it, which lets the check be exercised.
    boto("iot").create_job(
        jobId="too-long",
        targets=[boto("iot").describe_thing(thingName="dev_0")["thingArn"]],
        documentSource=job.document_source,
        description=f"(document {job.document_source})",
        presignedUrlConfig={"roleArn": job.role_arn, "expiresInSec": 7200},
    )
    boto("s3").put_object(Bucket=job.bucket, Key=job.bytecode_key, Body=b"x" * 10)
    boto("iam").delete_role_policy(RoleName=stage.role, PolicyName=ROLE_POLICY_NAME)
    result = verify_fota_job("too-long", aws=aws)
    assert failed(result) == ["firmware.md5", "firmware.size", "job.url_validity", "role.s3_read"]
    assert all(f.hint for f in result.findings)


def test_a_document_with_a_slot_the_device_cannot_use_is_caught(
    aws: AwsSettings, job: FotaStarted, boto: Any
) -> None:
    broken = {**job.document, "bc_idx": 10**30}
    boto("s3").put_object(
        Bucket=job.bucket, Key=job.job_document_key, Body=json.dumps(broken).encode()
    )
    result = verify_fota_job(job.job_id, aws=aws)
    assert failed(result) == ["document.bc_idx"]
    assert "0 or 1" in result.findings[0].message


def outside_job(boto: Any, job: FotaStarted, job_id: str, role_arn: str) -> None:
    """A job made with plain boto3 (the emulator does not refuse what AWS would)."""
    boto("iot").create_job(
        jobId=job_id,
        targets=[boto("iot").describe_thing(thingName="dev_0")["thingArn"]],
        documentSource=job.document_source,
        presignedUrlConfig={"roleArn": role_arn, "expiresInSec": 600},
    )


def test_a_role_of_another_account_is_caught_not_confused_with_ours(
    aws: AwsSettings, job: FotaStarted, stage: FotaStage, boto: Any
) -> None:
    # This account has a sound role of the same name: verification used to inspect it instead.
    outside_job(boto, job, "foreign", f"arn:aws:iam::111122223333:role/{stage.role}")
    result = verify_fota_job("foreign", aws=aws)
    assert failed(result) == ["role.account"]
    assert "111122223333" in result.findings[0].message and result.findings[0].hint


def test_a_role_arn_whose_path_is_not_the_roles_is_caught(
    aws: AwsSettings, job: FotaStarted, stage: FotaStage, boto: Any
) -> None:
    outside_job(boto, job, "pathed", f"arn:aws:iam::123456789012:role/other/{stage.role}")
    assert failed(verify_fota_job("pathed", aws=aws)) == ["role.exists"]


def test_a_malformed_role_arn_is_caught(aws: AwsSettings, job: FotaStarted, boto: Any) -> None:
    outside_job(boto, job, "malformed", "arn:aws:iam::123456789012:user/someone")
    assert failed(verify_fota_job("malformed", aws=aws)) == ["role.arn"]


def test_a_job_made_outside_zaws_is_verified_from_its_document_source(
    aws: AwsSettings, job: FotaStarted, boto: Any
) -> None:
    # No project, no URL in the description: describe_job's documentSource (beside the job in the
    # answer, not in it) is where the document is.
    boto("iot").create_job(
        jobId="plain",
        targets=[boto("iot").describe_thing(thingName="dev_0")["thingArn"]],
        documentSource=job.document_source,
        description="no URL in here",
        presignedUrlConfig={"roleArn": job.role_arn, "expiresInSec": 600},
    )
    result = verify_fota_job("plain", aws=aws)
    assert result.ok and result.document_source == job.document_source


def test_a_global_url_for_a_bucket_outside_us_east_1_is_caught(
    aws: AwsSettings, tmp_path: Path, boto: Any
) -> None:
    europe = replace(aws, region="eu-west-1")
    eu_stage = prepare_stage(europe, tmp_path)
    boto("iot", "eu-west-1").create_thing(thingName="dev_0")
    job = start_fota("dev_0", eu_stage.firmware, eu_stage.bucket, eu_stage.role, aws=europe)
    assert job.verification is not None and job.verification.ok
    assert ".s3.eu-west-1.amazonaws.com/" in job.document["bc_url"]
    legacy = {
        **job.document,
        "bc_url": job.document["bc_url"].replace(
            f"{job.bucket}.s3.eu-west-1.amazonaws.com", f"s3.amazonaws.com/{job.bucket}"
        ),
    }
    boto("s3", "eu-west-1").put_object(
        Bucket=job.bucket, Key=job.job_document_key, Body=json.dumps(legacy).encode()
    )
    assert failed(verify_fota_job(job.job_id, aws=europe)) == ["firmware.url_region"]


def test_an_unknown_job_is_a_clear_not_found(aws: AwsSettings) -> None:
    with pytest.raises(NotFound, match="no job 'nope'"):
        verify_fota_job("nope", aws=aws)


def test_without_a_document_source_the_record_then_the_description_locate_the_document(
    aws: AwsSettings, stage: FotaStage, job: FotaStarted, project: Path
) -> None:
    from zaws.operations.fota_verify import _document_source

    recorded = start_fota(
        "dev_0", stage.firmware, stage.bucket, stage.role, aws=aws, project=project, verify=False
    )
    described: Any = {"jobId": recorded.job_id, "description": "no URL in here"}
    assert _document_source(described, project, None) == recorded.document_source
    other: Any = {"jobId": "elsewhere", "description": "FOTA (document https://b.s3.x/k.json)"}
    assert _document_source(other, None, None) == "https://b.s3.x/k.json"
    assert _document_source(other, None, "https://given") == "https://given"
