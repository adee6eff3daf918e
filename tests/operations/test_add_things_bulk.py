"""add-things --bulk: the batch registered by one StartThingRegistrationTask (keys made here or
the devices' CSRs), the project written as per-call add-things writes it; the bucket made when
none is named (and said); Ctrl-C leaves the task running and the same command picks it up; a
killed run finds its task again; a line the task could not register is retried by the rerun;
the things of a task that failed or was stopped part-way are recorded; Ctrl-C before the start
starts no task."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tests.operations.test_add_things_device_csrs import write_csr
from tests.support.cli_process import run_cli
from tests.support.project_invariants import (
    assert_complete,
    assert_nothing_lost,
    local_records,
    remote_state,
)
from tests.support.registration_controls import clear_control, set_control
from zaws.aws.settings import AwsSettings
from zaws.emulator.registration_controls import FAIL_AFTER_LINES, HOLD_AFTER_LINES
from zaws.errors import Busy, InvalidInput, NotFound, OperationCancelled, RemoteFailure
from zaws.operations.add_things import add_things
from zaws.operations.fota_setup import trust_policy
from zaws.operations.progress import Cancellation, ProgressReport
from zaws.operations.thing_ownership import OWNER_ATTRIBUTE

DEFAULT_BUCKET = "zaws-bulk-registration-123456789012-us-east-1"


def tasks(iot: Any) -> list[str]:
    return list(iot.list_thing_registration_tasks()["taskIds"])


def test_bulk_with_keys_made_here_writes_the_project_as_per_call_add_things(
    project: Path, aws: AwsSettings, boto: Any, policy: str
) -> None:
    added = add_things(project, aws=aws, base_name="b", count=40, bulk=True)
    iot = boto("iot")
    assert_complete(project, iot, [f"b_{i}" for i in range(40)], policy)  # keys match, ACTIVE
    assert (added.bucket, added.bucket_created) == (DEFAULT_BUCKET, True)
    assert tasks(iot) == [added.bulk_task_id]
    assert OWNER_ATTRIBUTE in iot.describe_thing(thingName="b_7")["attributes"]
    assert added.active_thing == "b_0" and (project / "private.pem.key").exists()
    again = add_things(project, aws=aws, count=3, bulk=True, bucket=DEFAULT_BUCKET)
    assert again.things == ["b_40", "b_41", "b_42"] and not again.bucket_created


def test_bulk_from_the_devices_csrs(
    project: Path, aws: AwsSettings, boto: Any, policy: str, tmp_path: Path
) -> None:
    for name in ("z.pem", "y.pem", "x.pem"):
        write_csr(tmp_path / "csrs", name, ec.generate_private_key(ec.SECP256R1()))
    boto("s3").create_bucket(Bucket="my-inputs")
    added = add_things(
        project, aws=aws, base_name="se", csr_dir=tmp_path / "csrs", bulk=True, bucket="my-inputs"
    )
    assert [(m["thing"], m["csr_file"]) for m in added.csr_files] == [
        ("se_0", "x.pem"),
        ("se_1", "y.pem"),
        ("se_2", "z.pem"),
    ]
    assert (added.bucket, added.bucket_created) == ("my-inputs", False)
    assert_complete(project, boto("iot"), added.things, policy)
    assert not list(project.rglob("private.pem.key"))


def test_bulk_refuses_what_it_cannot_do_before_anything_is_made(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    with pytest.raises(InvalidInput, match="AWS cannot make the keys"):
        add_things(project, aws=aws, base_name="b", count=2, bulk=True, keys="aws")
    with pytest.raises(InvalidInput, match="--bucket goes with --bulk"):
        add_things(project, aws=aws, base_name="b", bucket="x-bucket")
    with pytest.raises(NotFound, match="'no-such-bucket' does not exist"):
        add_things(project, aws=aws, base_name="b", count=2, bulk=True, bucket="no-such-bucket")
    assert remote_state(boto("iot")) == (set(), {})
    assert local_records(project) == {}


def test_ctrl_c_leaves_the_task_running_and_the_same_command_picks_it_up(
    project: Path, aws: AwsSettings, boto: Any, policy: str, tmp_path: Path
) -> None:
    cancel = Cancellation()

    def stop_once_waiting(report: ProgressReport) -> None:
        if report.message.startswith("task "):
            cancel.cancel()

    with pytest.raises(OperationCancelled) as stopped:
        add_things(
            project,
            aws=aws,
            base_name="b",
            count=1000,
            bulk=True,
            progress=stop_once_waiting,
            cancel=cancel,
        )
    assert "keeps running in AWS" in (stopped.value.hint or "")
    assert "--things-number 1000 --keys local --bulk" in (stopped.value.hint or "")
    iot = boto("iot")
    [task_id] = tasks(iot)

    finished = add_things(project, aws=aws, base_name="b", count=1000, bulk=True)
    assert finished.resumed and finished.bulk_task_id == task_id
    assert tasks(iot) == [task_id]  # picked up, not started again
    assert_complete(project, iot, [f"b_{i}" for i in range(1000)], policy)


def test_another_task_running_in_the_account_is_busy(
    project: Path, aws: AwsSettings, boto: Any, tmp_path: Path
) -> None:
    """AWS runs one bulk registration task per account: a colleague's keeps ours out."""
    add_things(project, aws=aws, base_name="b", count=1, bulk=True)  # the bucket and role exist
    csr = json.loads(
        boto("s3").get_object(Bucket=DEFAULT_BUCKET, Key=_input_keys(boto)[0])["Body"].read()
    )["CSR"]
    line = json.dumps({"ThingName": "c_0", "CSR": csr}) + "\n"
    boto("s3").put_object(Bucket=DEFAULT_BUCKET, Key="colleague.json", Body=line.encode())
    set_control(boto("s3"), HOLD_AFTER_LINES, 0)  # theirs runs until the test stops it
    iot = boto("iot")
    role = boto("iam").get_role(RoleName="zaws-bulk-registration")["Role"]["Arn"]
    theirs = iot.start_thing_registration_task(
        templateBody=json.dumps(
            {
                "Parameters": {"ThingName": {"Type": "String"}, "CSR": {"Type": "String"}},
                "Resources": {
                    "t": {
                        "Type": "AWS::IoT::Thing",
                        "Properties": {"ThingName": {"Ref": "ThingName"}},
                    },
                    "c": {
                        "Type": "AWS::IoT::Certificate",
                        "Properties": {"CertificateSigningRequest": {"Ref": "CSR"}},
                    },
                },
            }
        ),
        inputFileBucket=DEFAULT_BUCKET,
        inputFileKey="colleague.json",
        roleArn=role,
    )["taskId"]
    try:
        with pytest.raises(Busy, match="one at a time"):
            add_things(project, aws=aws, count=2, bulk=True)
    finally:
        iot.stop_thing_registration_task(taskId=theirs)
    assert iot.describe_thing_registration_task(taskId=theirs)["status"] in (
        "Cancelling",
        "Cancelled",
    )


def _input_keys(boto: Any) -> list[str]:
    listed = boto("s3").list_objects_v2(Bucket=DEFAULT_BUCKET, Prefix="zaws-bulk/")
    return [o["Key"] for o in listed["Contents"]]


def test_a_line_the_task_could_not_register_is_retried_by_the_rerun(
    project: Path, aws: AwsSettings, boto: Any, policy: str
) -> None:
    iot = boto("iot")

    def colleague_takes_b_2(report: ProgressReport) -> None:
        if report.message == "made 5 of 5 requests":  # after the name check, before the task
            iot.create_thing(thingName="b_2", attributePayload={"attributes": {"owner": "ann"}})

    with pytest.raises(RemoteFailure, match="1 of 5 things were not registered: b_2"):
        add_things(
            project, aws=aws, base_name="b", count=5, bulk=True, progress=colleague_takes_b_2
        )
    assert sorted(local_records(project)) == ["b_0", "b_1", "b_3", "b_4"]
    iot.delete_thing(thingName="b_2")
    rerun = add_things(project, aws=aws, base_name="b", count=5, bulk=True)
    assert rerun.resumed and len(tasks(iot)) == 2
    assert_complete(project, iot, [f"b_{i}" for i in range(5)], policy)


def test_a_task_that_failed_part_way_has_its_things_recorded_and_the_rerun_does_the_rest(
    project: Path, aws: AwsSettings, boto: Any, policy: str
) -> None:
    """The lines a failed task did (thing, ACTIVE certificate, policy) are in its reports: each
    is recorded, so the rerun's task makes no second certificate for it."""
    iot, s3 = boto("iot"), boto("s3")
    set_control(s3, FAIL_AFTER_LINES, 3)  # AWS could not finish the task after three lines
    with pytest.raises(RemoteFailure, match="failed") as failed:
        add_things(project, aws=aws, base_name="b", count=5, bulk=True)
    assert sorted(local_records(project)) == ["b_0", "b_1", "b_2"]
    assert "(2 of 5 things not registered)" in failed.value.message
    assert_nothing_lost(project, iot)
    clear_control(s3, FAIL_AFTER_LINES)
    rerun = add_things(project, aws=aws, base_name="b", count=5, bulk=True)
    assert rerun.resumed and len(tasks(iot)) == 2
    assert_complete(project, iot, [f"b_{i}" for i in range(5)], policy)  # one certificate each


def test_a_task_stopped_by_someone_has_its_things_recorded(
    project: Path, aws: AwsSettings, boto: Any, policy: str
) -> None:
    iot, s3 = boto("iot"), boto("s3")
    set_control(s3, HOLD_AFTER_LINES, 2)

    def stop_it_at_two(report: ProgressReport) -> None:
        held = report.message.startswith("task ") and "InProgress" in report.message
        if held and report.done == 2:  # the task holds there until it is stopped
            iot.stop_thing_registration_task(taskId=tasks(iot)[0])

    with pytest.raises(RemoteFailure, match=r"3 of 5 things were not registered: .*stopped"):
        add_things(project, aws=aws, base_name="b", count=5, bulk=True, progress=stop_it_at_two)
    assert sorted(local_records(project)) == ["b_0", "b_1"]
    clear_control(s3, HOLD_AFTER_LINES)
    add_things(project, aws=aws, base_name="b", count=5, bulk=True)
    assert_complete(project, iot, [f"b_{i}" for i in range(5)], policy)


def test_ctrl_c_while_the_new_role_propagates_starts_no_task(
    project: Path,
    aws: AwsSettings,
    boto: Any,
    policy: str,
    emulator_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Against AWS a role just made cannot be assumed for seconds: the start is retried, and
    Ctrl-C during those retries stops there, the keys and the input file kept."""
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(project / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(project / "no-credentials"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    real_mode = AwsSettings(region="us-east-1", endpoint_url=emulator_url, limit_rates=False)
    iam, iot = boto("iam"), boto("iot")
    cancel = Cancellation()
    not_yet = {  # AWS IoT cannot assume it (yet)
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }

    def ctrl_c_before_the_start(report: ProgressReport) -> None:
        if report.message == "made 5 of 5 requests":
            iam.update_assume_role_policy(
                RoleName="zaws-bulk-registration", PolicyDocument=json.dumps(not_yet)
            )
            cancel.cancel()

    with pytest.raises(OperationCancelled) as stopped:
        add_things(
            project,
            aws=real_mode,
            base_name="b",
            count=5,
            bulk=True,
            progress=ctrl_c_before_the_start,
            cancel=cancel,
        )
    assert "start the task with: zaws add-things" in (stopped.value.hint or "")
    assert tasks(iot) == []  # not started
    iam.update_assume_role_policy(
        RoleName="zaws-bulk-registration", PolicyDocument=json.dumps(trust_policy())
    )
    finished = add_things(project, aws=aws, base_name="b", count=5, bulk=True)
    assert finished.resumed and tasks(iot) == [finished.bulk_task_id]
    assert_complete(project, iot, [f"b_{i}" for i in range(5)], policy)


KILLS = [
    ("before-call.s3.PutObject", 1),  # keys made, input not uploaded
    ("after-call.iot.StartThingRegistrationTask", 1),  # task running, its id in no file
    ("after-call.iot.DescribeThingRegistrationTask", 1),  # id journaled, task running
    ("after-call.iot.ListThingRegistrationTaskReports", 1),  # task done, nothing recorded
]


@pytest.mark.parametrize(("event", "nth"), KILLS, ids=[f"{e}#{n}" for e, n in KILLS])
def test_a_killed_bulk_run_finishes_on_rerun_with_the_same_task(
    project: Path, zaws_home: Path, boto: Any, policy: str, event: str, nth: int
) -> None:
    args = ("add-things", str(project), "--thing-base-name", "b", "--things-number", "30", "--bulk")
    killed = run_cli(zaws_home, *args, kill=(event, nth))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    staged = list((project / ".zaws" / "add-things" / "staging").glob("*/private.pem.key"))
    assert len(staged) == 30 and all(p.stat().st_mode & 0o777 == 0o600 for p in staged)
    iot = boto("iot")
    before = tasks(iot)

    rerun = run_cli(zaws_home, "-J", *args)
    assert rerun.returncode == 0, rerun.stderr
    finished = json.loads(rerun.stdout)
    assert tasks(iot) == (before or [finished["bulk_task_id"]])  # never a second task
    assert_complete(project, iot, [f"b_{i}" for i in range(30)], policy)
