"""Starting FOTA jobs against the emulator: every target form, rollout and abort, unique job ids."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.device_playback import FotaStage, play_device, prepare_stage
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound
from zaws.operations import fota_start
from zaws.operations.add_things import add_things
from zaws.operations.fota_start import (
    FotaTargets,
    Rollout,
    job_id_for,
    start_fota,
    start_fota_campaign,
)
from zaws.project.fota_jobs_record import FotaJobsRecord

VALID_JOB_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@pytest.fixture
def stage(aws: AwsSettings, tmp_path: Path) -> FotaStage:
    """A bucket, a role AWS IoT can use, and a firmware file in the `link -J` format."""
    return prepare_stage(aws, tmp_path)


def test_the_seed_form_uploads_the_bytecode_and_a_document_and_targets_the_thing(
    aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    thing_arn = boto("iot").create_thing(thingName="dev_0")["thingArn"]
    job = start_fota("dev_0", stage.firmware, stage.bucket, stage.role, duration=900, aws=aws)

    assert re.fullmatch(r"fota-dev_0-\d{10}-[0-9a-f]{6}", job.job_id)
    assert job.thing_name == "dev_0" and job.things == ["dev_0"]
    assert re.fullmatch(r"dev_0/fota-\d{10}-[0-9a-f]{6}-bc", job.bytecode_key)
    s3 = boto("s3")
    assert s3.get_object(Bucket=stage.bucket, Key=job.bytecode_key)["Body"].read() == (
        stage.bytecode
    )
    document = json.loads(
        s3.get_object(Bucket=stage.bucket, Key=job.job_document_key)["Body"].read()
    )
    url = f"https://{stage.bucket}.s3.us-east-1.amazonaws.com/{job.bytecode_key}"
    assert document == {
        "operation": "fota",
        "bc_crc": job.document["bc_crc"],
        "bc_size": len(stage.bytecode),
        "bc_idx": 1,
        "bc_url": f"${{aws:iot:s3-presigned-url:{url}}}",
    }
    described = boto("iot").describe_job(jobId=job.job_id)["job"]
    assert described["targets"] == [thing_arn]
    assert described["presignedUrlConfig"] == {"roleArn": job.role_arn, "expiresInSec": 900}
    assert job.verification is not None and job.verification.ok, job.verification


def test_several_things_are_targeted_by_one_job_and_each_device_gets_the_update(
    aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    arns = [boto("iot").create_thing(thingName=n)["thingArn"] for n in ("a_0", "a_1", "b_0")]
    job = start_fota_campaign(
        FotaTargets(things=("a_0", "a_1", "b_0", "a_0")),
        stage.firmware,
        stage.bucket,
        stage.role,
        aws=aws,
    )
    assert job.things == ["a_0", "a_1", "b_0"] and job.thing_name is None
    assert job.job_id.startswith("fota-a_0-and-2-more-")
    assert boto("iot").describe_job(jobId=job.job_id)["job"]["targets"] == arns
    for name in job.things:
        assert play_device(name, aws=aws).bytecode == stage.bytecode


def test_all_things_of_a_project_are_targeted_and_the_job_is_recorded(
    aws: AwsSettings, stage: FotaStage, project: Path
) -> None:
    add_things(project, aws=aws, base_name="dev", count=3)
    job = start_fota_campaign(
        FotaTargets(all_project_things=True),
        stage.firmware,
        stage.bucket,
        stage.role,
        aws=aws,
        project=project,
    )
    assert job.things == ["dev_0", "dev_1", "dev_2"]
    recorded = FotaJobsRecord(project).get(job.job_id)
    assert recorded is not None and recorded.things == job.things
    assert recorded.document_source == job.document_source
    assert recorded.bc_crc == job.document["bc_crc"]


def test_a_synced_group_is_created_then_kept_in_step_with_the_project(
    aws: AwsSettings, stage: FotaStage, project: Path, boto: Any
) -> None:
    iot = boto("iot")
    add_things(project, aws=aws, base_name="dev", count=2)
    targets = FotaTargets(thing_group="fleet", sync_group=True)
    first = start_fota_campaign(
        targets, stage.firmware, stage.bucket, stage.role, aws=aws, project=project, verify=False
    )
    assert first.group_changes == {"created": True, "added": ["dev_0", "dev_1"], "removed": []}
    group_arn = iot.describe_thing_group(thingGroupName="fleet")["thingGroupArn"]
    assert iot.describe_job(jobId=first.job_id)["job"]["targets"] == [group_arn]

    iot.create_thing(thingName="stranger")
    iot.add_thing_to_thing_group(thingGroupName="fleet", thingName="stranger")
    add_things(project, aws=aws, count=1)
    second = start_fota_campaign(
        targets, stage.firmware, stage.bucket, stage.role, aws=aws, project=project, verify=False
    )
    assert second.group_changes == {"created": False, "added": ["dev_2"], "removed": ["stranger"]}
    members = iot.list_things_in_thing_group(thingGroupName="fleet")["things"]
    assert sorted(members) == ["dev_0", "dev_1", "dev_2"]
    executions = iot.list_job_executions_for_job(jobId=second.job_id)["executionSummaries"]
    assert sorted(e["thingArn"].rsplit("/", 1)[1] for e in executions) == sorted(members)


def test_an_existing_group_is_targeted_as_it_is_and_a_missing_one_is_refused(
    aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    iot = boto("iot")
    iot.create_thing(thingName="x_0")
    iot.create_thing_group(thingGroupName="manual")
    iot.add_thing_to_thing_group(thingGroupName="manual", thingName="x_0")
    job = start_fota_campaign(
        FotaTargets(thing_group="manual"),
        stage.firmware,
        stage.bucket,
        stage.role,
        aws=aws,
        verify=False,
    )
    assert job.things == ["x_0"] and job.thing_group == "manual"
    with pytest.raises(NotFound, match="'absent' does not exist"):
        start_fota_campaign(
            FotaTargets(thing_group="absent"), stage.firmware, stage.bucket, stage.role, aws=aws
        )


def test_rollout_rate_and_abort_rule_reach_the_job(
    aws: AwsSettings, stage: FotaStage, boto: Any
) -> None:
    boto("iot").create_thing(thingName="dev_0")
    rollout = Rollout(max_per_minute=20, abort_failed_percent=12.5, abort_min_executed=4)
    job = start_fota_campaign(
        FotaTargets(things=("dev_0",)),
        stage.firmware,
        stage.bucket,
        stage.role,
        rollout=rollout,
        aws=aws,
        verify=False,
    )
    described = boto("iot").describe_job(jobId=job.job_id)["job"]
    assert described["jobExecutionsRolloutConfig"] == {"maximumPerMinute": 20}
    assert described["abortConfig"]["criteriaList"] == [
        {
            "failureType": "FAILED",
            "action": "CANCEL",
            "thresholdPercentage": 12.5,
            "minNumberOfExecutedThings": 4,
        }
    ]


def test_two_starts_in_the_same_second_get_different_jobs_and_objects(
    aws: AwsSettings, stage: FotaStage, boto: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fota_start, "_now", lambda: 1_700_000_000.5)
    boto("iot").create_thing(thingName="dev_0")
    one = start_fota("dev_0", stage.firmware, stage.bucket, stage.role, aws=aws, verify=False)
    two = start_fota("dev_0", stage.firmware, stage.bucket, stage.role, aws=aws, verify=False)
    assert one.job_id != two.job_id and "-1700000000-" in one.job_id
    assert one.job_document_key != two.job_document_key
    jobs = {j["jobId"] for j in boto("iot").list_jobs()["jobs"]}
    assert {one.job_id, two.job_id} <= jobs


@pytest.mark.parametrize("label", ["dev_0", "a" * 128, "weird:name:with:colons", "x"])
def test_job_ids_are_valid_for_aws_whatever_the_label(label: str) -> None:
    job_id = job_id_for(label, 1_700_000_000, "abc123")
    assert VALID_JOB_ID.match(job_id), job_id
    assert job_id.endswith("-1700000000-abc123")
    assert job_id_for("weird:a", 1, "s") != job_id_for("weird_a", 1, "s")


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        (FotaTargets(), "one way"),
        (FotaTargets(things=("a",), all_project_things=True), "one way"),
        (FotaTargets(all_project_things=True), "need the project"),
        (FotaTargets(thing_group="bad group"), "not a valid thing group"),
    ],
)
def test_incoherent_targets_are_refused_before_any_aws_call(
    aws: AwsSettings, stage: FotaStage, targets: FotaTargets, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        start_fota_campaign(targets, stage.firmware, stage.bucket, stage.role, aws=aws)


@pytest.mark.parametrize(
    ("rollout", "duration", "message"),
    [
        (Rollout(), 59, "between 60 and 3600"),
        (Rollout(), 3601, "between 60 and 3600"),
        (Rollout(max_per_minute=0), 600, "1-1000"),
        (Rollout(abort_failed_percent=0), 600, "above 0"),
    ],
)
def test_out_of_range_options_are_refused(
    aws: AwsSettings, stage: FotaStage, rollout: Rollout, duration: int, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        start_fota_campaign(
            FotaTargets(things=("a",)),
            stage.firmware,
            stage.bucket,
            stage.role,
            rollout=rollout,
            duration=duration,
            aws=aws,
        )
