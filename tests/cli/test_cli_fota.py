"""The FOTA commands end to end through the real `zaws` process on the emulator, errors included."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.device_playback import FotaStage, play_device, prepare_stage
from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things


@pytest.fixture
def stage(aws: AwsSettings, tmp_path: Path) -> FotaStage:
    """A bucket, a role AWS IoT can use, and a firmware file in the `link -J` format."""
    return prepare_stage(aws, tmp_path)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zaws: error: "), result.stderr
    return lines[0]


def test_the_seed_form_prints_the_job_id_last_after_verifying_it(
    run_zaws: Any, aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    boto("iot").create_thing(thingName="dev_0")
    result = run_zaws(
        "iot-fota-start",
        "dev_0",
        str(stage.firmware),
        f"s3://{stage.bucket}",
        stage.role,
        "--duration",
        "600",
    )
    assert result.returncode == 0, result.stderr
    job_id = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"fota-dev_0-\d{10}-[0-9a-f]{6}", job_id)
    assert "verified" in result.stdout
    assert play_device("dev_0", aws=aws).job_id == job_id


def test_a_project_campaign_is_listed_described_cancelled_and_deleted(
    run_zaws: Any, aws: AwsSettings, stage: FotaStage, project: Path
) -> None:
    add_things(project, aws=aws, base_name="dev", count=2)
    started = run_zaws(
        "iot-fota-start",
        "--project",
        str(project),
        "--all-things",
        "--max-per-minute",
        "10",
        "--abort-failed-percent",
        "20",
        str(stage.firmware),
        stage.bucket,
        stage.role,
        "-J",
    )
    assert started.returncode == 0, started.stderr
    job = json.loads(started.stdout)
    assert job["things"] == ["dev_0", "dev_1"] and job["verification"]["ok"]
    job_id = job["job_id"]

    listed = json.loads(run_zaws("iot-fota-jobs", str(project), "-J").stdout)
    assert [(j["job_id"], j["status"]) for j in listed["jobs"]] == [(job_id, "IN_PROGRESS")]
    described = json.loads(run_zaws("iot-fota-describe", job_id, "-J").stdout)
    assert [e["thing_name"] for e in described["executions"]] == ["dev_0", "dev_1"]

    refused = run_zaws("iot-fota-cancel", job_id, "--force")
    assert "needs a confirmation" in one_error_line(refused)
    cancelled = run_zaws("iot-fota-cancel", job_id, "--force", "--yes")
    assert cancelled.returncode == 0 and "Cancelled" in cancelled.stdout
    deleted = run_zaws("iot-fota-delete", job_id, "--yes", "--project", str(project))
    assert deleted.returncode == 0 and "project forgot it" in deleted.stdout
    again = run_zaws("iot-fota-delete", job_id, "--yes")
    assert again.returncode == 0 and "already gone" in again.stdout


def test_cancel_asks_on_a_terminal(
    zaws_home: Path, aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    boto("iot").create_thing(thingName="dev_0")
    from zaws.operations.fota_start import start_fota

    job = start_fota("dev_0", stage.firmware, stage.bucket, stage.role, aws=aws, verify=False)
    controller, terminal = pty.openpty()
    os.write(controller, b"y\n")
    env = {**os.environ, "ZAWS_HOME": str(zaws_home), "ZAWS_LOCAL": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "zaws.cli", "iot-fota-cancel", job.job_id],
        stdin=terminal,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    os.close(terminal)
    os.close(controller)
    assert result.returncode == 0, result.stderr
    assert "Cancel this job?" in result.stderr
    assert boto("iot").describe_job(jobId=job.job_id)["job"]["status"] == "CANCELED"


def test_a_broken_job_is_refused_unless_forced_then_fails_verification(
    run_zaws: Any, stage: FotaStage, boto: Any
) -> None:
    boto("iot").create_thing(thingName="dev_0")
    boto("iam").update_assume_role_policy(
        RoleName=stage.role,
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ec2.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )
    start = ["iot-fota-start", "dev_0", str(stage.firmware), stage.bucket, stage.role]
    refused = run_zaws(*start)
    assert "was not created: devices could not run it (1 problem:" in one_error_line(refused)
    assert "does not let AWS IoT (iot.amazonaws.com) assume it" in refused.stderr
    assert "--force" in refused.stderr
    assert boto("iot").list_jobs()["jobs"] == []

    unverified = run_zaws(*start, "--no-verify", "--force")
    assert unverified.returncode == 0, unverified.stderr
    assert "created with --force" in unverified.stdout
    job_id = unverified.stdout.strip().splitlines()[-1]

    started = run_zaws(*start, "--force")
    assert "was started but would fail" in one_error_line(started)
    assert started.stdout.strip().splitlines()[-1].startswith("fota-dev_0-")

    verified = run_zaws("iot-fota-verify", job_id)
    assert "would fail on devices (1 problems" in one_error_line(verified)
    assert "does not let AWS IoT (iot.amazonaws.com) assume it" in verified.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dev_0", "{fw}", "{bucket}", "{role}", "--duration", "30"], "between 60 and 3600"),
        (["ghost", "{fw}", "{bucket}", "{role}"], "'ghost' does not exist"),
        (["{fw}", "{bucket}", "{role}"], "Choose the targets"),
        (["dev_0", "{fw}", "{bucket}", "nobody"], "role 'nobody' does not exist"),
        (["dev_0", "{fw}", "{bucket}", "{role}", "--max-per-minute", "0"], "1-1000"),
        (["dev_0", "{slot_fw}", "{bucket}", "{role}"], "must be a bytecode slot, 0 or 1"),
        (["dev_0", "{fw}", "{bucket}", ""], "A role is required"),
        (["dev_0", "{fw}", "", "{role}"], "A bucket is required"),
        (["dev_0", "", "{bucket}", "{role}"], "A firmware file is required"),
        (["", "{fw}", "{bucket}", "{role}"], "A thing name is required"),
        (
            ["dev_0", "{fw}", "{bucket}", "arn:aws:iam::111122223333:role/{role}"],
            "belongs to account 111122223333, not 123456789012",
        ),
        (["dev_0", "{fw}", "{bucket}", "arn:aws:iam::1:role/{role}"], "not an IAM role ARN"),
    ],
)
def test_start_errors_are_one_clear_line(
    run_zaws: Any, stage: FotaStage, boto: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    boto("iot").create_thing(thingName="dev_0")
    slot_fw = tmp_path / "slot.json"
    slot_fw.write_text(json.dumps({**json.loads(stage.firmware.read_text()), "bc_idx": 10**30}))
    filled = [
        a.format(fw=stage.firmware, slot_fw=slot_fw, bucket=stage.bucket, role=stage.role)
        for a in args
    ]
    assert message in one_error_line(run_zaws("iot-fota-start", *filled))
    assert boto("iot").list_jobs()["jobs"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bucket", "fresh-bucket", "--role", ""], "A role is required"),
        (["--bucket", "", "--role", "reader"], "A bucket is required"),
        (
            ["--bucket", "fresh-bucket", "--role", "arn:aws:iam::111122223333:role/reader"],
            "belongs to account 111122223333",
        ),
    ],
)
def test_setup_errors_are_one_clear_line(
    run_zaws: Any, aws: AwsSettings, boto: Any, args: list[str], message: str
) -> None:
    assert message in one_error_line(run_zaws("fota-setup", *args))
    assert boto("s3").list_buckets()["Buckets"] == []


@pytest.mark.parametrize("command", ["iot-fota-verify", "iot-fota-describe"])
def test_an_unknown_job_is_one_clear_line(run_zaws: Any, aws: AwsSettings, command: str) -> None:
    assert "no job 'nope'" in one_error_line(run_zaws(command, "nope"))


def test_a_described_execution_says_what_its_device_said() -> None:
    from zaws.cli.commands_fota import execution_line
    from zaws.operations.fota_jobs import ExecutionStatus

    failed = ExecutionStatus("dev_1", "arn", "FAILED", None, {"reason": "bad crc", "check": "MD5"})
    assert execution_line(failed).endswith("dev_1  FAILED  (reason: bad crc, check: MD5)")
    succeeded = ExecutionStatus("dev_0", "arn", "SUCCEEDED", None)
    assert execution_line(succeeded).endswith("dev_0  SUCCEEDED")
