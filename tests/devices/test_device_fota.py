"""Simulated devices run FOTA jobs started by zaws's start_fota, as the Zerynth library does:
SUCCEEDED with the slot record switched, FAILED "bad crc" with a corrupted download, REJECTED."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.devices.running import RunningDevices
from tests.support.device_playback import FotaStage, prepare_stage
from zaws.aws.settings import AwsSettings
from zaws.devices.download import DownloadFailed, download
from zaws.devices.events import DeviceEvent
from zaws.operations.add_things import add_things
from zaws.operations.fota_jobs import describe_fota_job
from zaws.operations.fota_start import FotaTargets, start_fota, start_fota_campaign


@pytest.fixture
def stage(aws: AwsSettings, tmp_path: Path) -> FotaStage:
    return prepare_stage(aws, tmp_path)


def _final(job_id: str) -> Any:
    def wanted(event: DeviceEvent) -> bool:
        return (
            event.kind == "job"
            and event.data["job_id"] == job_id
            and event.data["status"] in ("SUCCEEDED", "FAILED", "REJECTED")
        )

    return wanted


def _start(project: Path, aws: AwsSettings, stage: FotaStage) -> str:
    add_things(project, aws=aws, base_name="board", count=1)
    job = start_fota("board_0", stage.firmware, stage.bucket, stage.role, aws=aws)
    return job.job_id


def test_a_fota_job_succeeds_and_the_device_boots_the_new_slot(
    project: Path, aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    job_id = _start(project, aws, stage)
    with RunningDevices(project, aws, every=60) as devices:
        final = devices.wait_for(_final(job_id), "the job's end")
    kinds = [(e.kind, e.data.get("status")) for e in devices.seen if e.kind in ("job", "reset")]
    assert kinds == [("job", "IN_PROGRESS"), ("reset", None), ("job", "SUCCEEDED")], kinds
    downloaded = next(e for e in devices.seen if e.kind == "downloaded")
    assert downloaded.data == {"bytes": len(stage.bytecode), "md5_ok": True}
    assert final.data["status"] == "SUCCEEDED"
    (fetching,) = [e for e in devices.seen if e.kind == "note" and "over HTTPS" in e.text]
    assert fetching.data["endpoint"].startswith("127.0.0.1:")  # the emulator's S3 over TLS
    with pytest.raises(DownloadFailed, match="CERTIFICATE_VERIFY_FAILED"):  # not a public root's
        download(f"https://{fetching.data['endpoint']}/", trust_pem=None)
    execution = boto("iot").describe_job_execution(jobId=job_id, thingName="board_0")
    assert execution["execution"]["status"] == "SUCCEEDED"
    record = json.loads((project / ".zaws" / "devices" / "board_0.json").read_text())
    assert record["current_slot"] == 1 and record["previous_slot"] == 0
    assert record["on_trial"] is False and record["job_id"] == job_id


def test_a_corrupted_download_fails_with_the_md5_reason(
    project: Path, aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    job_id = _start(project, aws, stage)
    with RunningDevices(project, aws, every=60, fota_result="fail-md5") as devices:
        devices.wait_for(_final(job_id), "the job's end")
    downloaded = next(e for e in devices.seen if e.kind == "downloaded")
    assert downloaded.data["md5_ok"] is False and "Bad crc!" in downloaded.text
    execution = boto("iot").describe_job_execution(jobId=job_id, thingName="board_0")["execution"]
    assert execution["status"] == "FAILED"
    assert execution["statusDetails"]["detailsMap"]["reason"] == "bad crc"
    record = json.loads((project / ".zaws" / "devices" / "board_0.json").read_text())
    assert record["current_slot"] == 0
    [described] = describe_fota_job(job_id, aws=aws).executions  # zaws says why, too
    assert described.status == "FAILED" and described.status_details is not None
    assert described.status_details["reason"] == "bad crc"
    assert "MD5" in described.status_details["check"]


def test_reject_answers_rejected(
    project: Path, aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    job_id = _start(project, aws, stage)
    with RunningDevices(project, aws, every=60, fota_result="reject") as devices:
        devices.wait_for(_final(job_id), "the job's end")
    execution = boto("iot").describe_job_execution(jobId=job_id, thingName="board_0")["execution"]
    assert execution["status"] == "REJECTED"
    assert not any(e.kind == "downloaded" for e in devices.seen)


def test_running_devices_take_a_job_started_while_they_run_through_jobs_notify(
    project: Path, aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="board", count=2)
    with RunningDevices(project, aws, all_things=True, every=60) as devices:
        for name in ("board_0", "board_1"):
            devices.wait_for(lambda e, n=name: e.kind == "subscribed" and e.thing == n, name)
        job = start_fota_campaign(
            FotaTargets(things=("board_0", "board_1")),
            stage.firmware,
            stage.bucket,
            stage.role,
            aws=aws,
        )
        for name in ("board_0", "board_1"):
            devices.wait_for(
                lambda e, n=name: e.thing == n and _final(job.job_id)(e), f"{name}'s end"
            )
    for name in ("board_0", "board_1"):
        execution = boto("iot").describe_job_execution(jobId=job.job_id, thingName=name)
        assert execution["execution"]["status"] == "SUCCEEDED"
