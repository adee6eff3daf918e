"""What a FOTA start and setup refuse before any job or bucket exists, on the emulator.

A bytecode slot the device library cannot use (the Zerynth VM has slots 0 and 1), a role of
another account or partition (AWS passes a role only to a service of its own account), a malformed
role ARN, and empty names each get an InvalidInput saying what to pass instead; nothing is
uploaded and no job is created.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.device_playback import FotaStage, prepare_stage
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput
from zaws.operations.firmware import sample_firmware
from zaws.operations.fota_setup import fota_setup
from zaws.operations.fota_start import FotaTargets, start_fota, start_fota_campaign

ACCOUNT = "123456789012"  # the emulator's account
OTHER_ACCOUNT = "111122223333"


@pytest.fixture
def stage(aws: AwsSettings, tmp_path: Path, boto: Any) -> FotaStage:
    boto("iot").create_thing(thingName="dev_0")
    return prepare_stage(aws, tmp_path)


def nothing_started(boto: Any, bucket: str) -> bool:
    jobs = boto("iot").list_jobs()["jobs"]
    objects = boto("s3").list_objects_v2(Bucket=bucket).get("Contents", [])
    return not jobs and not objects


def firmware_with(folder: Path, **fields: object) -> Path:
    path = folder / "custom-firmware.json"
    path.write_text(json.dumps({**sample_firmware(b"bytecode"), **fields}))
    return path


@pytest.mark.parametrize("bc_idx", [10**30, 2, -1, "1", 1.0, True, None])
def test_a_bytecode_slot_the_device_cannot_use_is_refused_before_the_job(
    aws: AwsSettings, stage: FotaStage, boto: Any, tmp_path: Path, bc_idx: object
) -> None:
    firmware = firmware_with(tmp_path, bc_idx=bc_idx)
    with pytest.raises(InvalidInput, match=r"bc_idx .* must be a bytecode slot, 0 or 1") as raised:
        start_fota("dev_0", firmware, stage.bucket, stage.role, aws=aws)
    assert raised.value.hint
    assert nothing_started(boto, stage.bucket)


@pytest.mark.parametrize("bc_idx", [0, 1])
def test_both_bytecode_slots_are_accepted(
    aws: AwsSettings, stage: FotaStage, tmp_path: Path, bc_idx: int
) -> None:
    firmware = firmware_with(tmp_path, bc_idx=bc_idx)
    job = start_fota("dev_0", firmware, stage.bucket, stage.role, aws=aws)
    assert job.document["bc_idx"] == bc_idx
    assert job.verification is not None and job.verification.ok, job.verification


def test_a_role_arn_of_this_account_is_used_as_given(
    aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:role/{stage.role}"
    job = start_fota("dev_0", stage.firmware, stage.bucket, arn, aws=aws)
    assert job.role_arn == arn
    described = boto("iot").describe_job(jobId=job.job_id)["job"]
    assert described["presignedUrlConfig"]["roleArn"] == arn


def test_a_role_arn_with_a_path_is_used_as_given(
    aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    done = fota_setup(stage.bucket, f"arn:aws:iam::{ACCOUNT}:role/firmware/readers/pathed", aws=aws)
    assert done.role_arn == f"arn:aws:iam::{ACCOUNT}:role/firmware/readers/pathed"
    job = start_fota("dev_0", stage.firmware, stage.bucket, done.role_arn, aws=aws)
    assert job.role_arn == done.role_arn
    assert job.verification is not None and job.verification.ok, job.verification


def test_a_role_arn_of_another_account_is_refused_not_replaced_by_ours(
    aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    # The caller has a role of that name: zaws used to swap it in silently.
    arn = f"arn:aws:iam::{OTHER_ACCOUNT}:role/{stage.role}"
    with pytest.raises(InvalidInput, match=f"account {OTHER_ACCOUNT}.*not {ACCOUNT}") as raised:
        start_fota("dev_0", stage.firmware, stage.bucket, arn, aws=aws)
    assert raised.value.hint and ACCOUNT in raised.value.hint
    assert nothing_started(boto, stage.bucket)


@pytest.mark.parametrize(
    ("role", "message"),
    [
        (f"arn:aws:iam::{ACCOUNT}:role/elsewhere/zaws-fota-role", "does not exist"),
        ("arn:aws-cn:iam::{account}:role/zaws-fota-role", "partition aws-cn"),
        ("arn:aws:iam::12345:role/zaws-fota-role", "not an IAM role ARN"),
        ("arn:aws:iam::{account}:user/zaws-fota-role", "not an IAM role ARN"),
        ("arn:aws:s3:::zaws-firmware", "not an IAM role ARN"),
        ("arn:aws:iam::{account}:role/", "not an IAM role ARN"),
        ("bad role", "not an IAM role name"),
        ("a" * 65, "not an IAM role name"),
    ],
)
def test_a_role_that_cannot_work_is_refused_with_the_reason(
    aws: AwsSettings, stage: FotaStage, boto: Any, role: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as raised:
        start_fota("dev_0", stage.firmware, stage.bucket, role.format(account=ACCOUNT), aws=aws)
    assert raised.value.hint
    assert nothing_started(boto, stage.bucket)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("role", "A role is required"),
        ("bucket", "A bucket is required"),
        ("firmware", "A firmware file is required"),
        ("thing", "A thing name is required"),
    ],
)
@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_name_says_what_is_required(
    aws: AwsSettings, stage: FotaStage, boto: Any, field: str, message: str, empty: str
) -> None:
    given: dict[str, Any] = {
        "thing": "dev_0",
        "firmware": stage.firmware,
        "bucket": stage.bucket,
        "role": stage.role,
        field: empty,
    }
    with pytest.raises(InvalidInput, match=message) as raised:
        start_fota_campaign(
            FotaTargets(things=(given["thing"],)),
            given["firmware"],
            given["bucket"],
            given["role"],
            aws=aws,
        )
    assert raised.value.hint and "again" not in raised.value.hint
    assert nothing_started(boto, stage.bucket)


def test_a_folder_as_firmware_is_a_clear_error(
    aws: AwsSettings, stage: FotaStage, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="is a folder"):
        start_fota("dev_0", tmp_path, stage.bucket, stage.role, aws=aws)


@pytest.mark.parametrize(
    ("bucket", "role", "message"),
    [
        ("fresh-bucket", "", "A role is required"),
        ("", "some-role", "A bucket is required"),
        ("fresh-bucket", f"arn:aws:iam::{OTHER_ACCOUNT}:role/some-role", f"not {ACCOUNT}"),
        ("fresh-bucket", "arn:aws-us-gov:iam::123456789012:role/r", "partition aws-us-gov"),
    ],
)
def test_setup_refuses_before_making_the_bucket_or_a_role(
    aws: AwsSettings, boto: Any, bucket: str, role: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        fota_setup(bucket, role, aws=aws)
    assert boto("s3").list_buckets()["Buckets"] == []
    assert boto("iam").list_roles()["Roles"] == []


def test_setup_with_an_existing_role_of_another_path_refuses_the_arn(
    aws: AwsSettings, boto: Any
) -> None:
    fota_setup("fresh-bucket", "reader", aws=aws)
    with pytest.raises(InvalidInput, match="does not exist"):
        fota_setup("fresh-bucket", f"arn:aws:iam::{ACCOUNT}:role/other/reader", aws=aws)
