"""The device playback itself, a real MQTT device: a good job updates the device and SUCCEEDS;
a broken one is rejected and FAILS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.device_playback import (
    DeviceRejected,
    FotaStage,
    play_device,
    prepare_stage,
)
from zaws.aws.settings import AwsSettings
from zaws.operations.fota_start import start_fota


@pytest.fixture
def stage(aws: AwsSettings, tmp_path: Path) -> FotaStage:
    """A bucket, a role AWS IoT can use, and a firmware file in the `link -J` format."""
    return prepare_stage(aws, tmp_path)


def test_a_started_job_delivers_the_firmware_to_the_device(
    aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    boto("iot").create_thing(thingName="dev_0")
    job = start_fota("dev_0", stage.firmware, stage.bucket, stage.role, aws=aws)

    update = play_device("dev_0", aws=aws)

    assert update.job_id == job.job_id
    assert update.bytecode == stage.bytecode
    assert update.bc_idx == 1
    iot = boto("iot")
    execution = iot.describe_job_execution(jobId=job.job_id, thingName="dev_0")["execution"]
    assert execution["status"] == "SUCCEEDED" and execution["versionNumber"] == 3
    assert iot.list_thing_principals(thingName="dev_0")["principals"] == []  # left as it was


def test_the_device_rejects_firmware_whose_md5_differs(
    aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    boto("iot").create_thing(thingName="dev_0")
    job = start_fota("dev_0", stage.firmware, stage.bucket, stage.role, aws=aws, verify=False)
    tampered = bytes(reversed(stage.bytecode))  # same size, other bytes
    boto("s3").put_object(Bucket=job.bucket, Key=job.bytecode_key, Body=tampered)

    with pytest.raises(DeviceRejected, match="MD5"):
        play_device("dev_0", aws=aws)
    execution = boto("iot").describe_job_execution(jobId=job.job_id, thingName="dev_0")
    assert execution["execution"]["status"] == "FAILED"
    assert execution["execution"]["statusDetails"] == {"detailsMap": {"reason": "invalid fota"}}


def test_a_thing_without_a_queued_job_has_nothing_to_play(aws: AwsSettings, boto: Any) -> None:
    boto("iot").create_thing(thingName="idle")
    with pytest.raises(DeviceRejected, match="no queued job"):
        play_device("idle", aws=aws)
