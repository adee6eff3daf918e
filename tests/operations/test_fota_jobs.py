"""Watching and stopping jobs against the emulator: list, describe, cancel, delete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.device_playback import FotaStage, prepare_stage
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound
from zaws.operations.add_things import add_things
from zaws.operations.fota_jobs import (
    cancel_fota_job,
    delete_fota_job,
    describe_fota_job,
    list_fota_jobs,
)
from zaws.operations.fota_start import FotaStarted, FotaTargets, Rollout, start_fota_campaign
from zaws.project.fota_jobs_record import FotaJobsRecord


@pytest.fixture
def stage(aws: AwsSettings, tmp_path: Path) -> FotaStage:
    """A bucket, a role AWS IoT can use, and a firmware file in the `link -J` format."""
    return prepare_stage(aws, tmp_path)


@pytest.fixture
def fleet_job(aws: AwsSettings, stage: FotaStage, project: Path) -> FotaStarted:
    add_things(project, aws=aws, base_name="dev", count=2)
    return start_fota_campaign(
        FotaTargets(all_project_things=True),
        stage.firmware,
        stage.bucket,
        stage.role,
        rollout=Rollout(max_per_minute=5),
        aws=aws,
        project=project,
        verify=False,
    )


def test_the_project_lists_its_jobs_with_their_status(
    aws: AwsSettings, fleet_job: FotaStarted, project: Path
) -> None:
    offline = list_fota_jobs(project)
    assert [(j.job_id, j.status) for j in offline.jobs] == [(fleet_job.job_id, None)]

    [job] = list_fota_jobs(project, aws=aws).jobs
    assert job.things == ["dev_0", "dev_1"]
    assert job.status == "IN_PROGRESS"
    assert job.counts["queued"] == 2


def test_a_job_deleted_outside_zaws_is_listed_as_deleted(
    aws: AwsSettings, fleet_job: FotaStarted, project: Path, boto: Any
) -> None:
    boto("iot").delete_job(jobId=fleet_job.job_id, force=True)
    assert [j.status for j in list_fota_jobs(project, aws=aws).jobs] == ["DELETED"]


def test_describe_gives_each_things_execution_and_the_rollout(
    aws: AwsSettings, fleet_job: FotaStarted
) -> None:
    details = describe_fota_job(fleet_job.job_id, aws=aws)
    assert [(e.thing_name, e.status) for e in details.executions] == [
        ("dev_0", "QUEUED"),
        ("dev_1", "QUEUED"),
    ]
    assert details.rollout == {"maximumPerMinute": 5}
    assert details.url_validity == 3600
    assert len(details.targets) == 2
    with pytest.raises(NotFound, match="no job 'missing'"):
        describe_fota_job("missing", aws=aws)


def test_cancel_stops_the_job_and_a_second_cancel_is_harmless(
    aws: AwsSettings, fleet_job: FotaStarted
) -> None:
    done = cancel_fota_job(fleet_job.job_id, aws=aws, force=True)
    assert (done.previous_status, done.status, done.force) == ("IN_PROGRESS", "CANCELED", True)
    executions = describe_fota_job(fleet_job.job_id, aws=aws).executions
    assert [e.status for e in executions] == ["CANCELED", "CANCELED"]
    again = cancel_fota_job(fleet_job.job_id, aws=aws)
    assert again.previous_status == again.status == "CANCELED"
    with pytest.raises(NotFound):
        cancel_fota_job("missing", aws=aws)


def test_an_active_job_is_deleted_only_with_force(
    aws: AwsSettings, fleet_job: FotaStarted, project: Path, boto: Any
) -> None:
    with pytest.raises(InvalidInput, match="still active"):
        delete_fota_job(fleet_job.job_id, aws=aws, project=project)
    done = delete_fota_job(fleet_job.job_id, aws=aws, force=True, project=project)
    assert done.existed and done.forgotten_by_project
    assert boto("iot").list_jobs()["jobs"] == []
    assert FotaJobsRecord(project).jobs() == []


def test_deleting_a_cancelled_job_then_deleting_it_again_is_fine(
    aws: AwsSettings, fleet_job: FotaStarted, project: Path
) -> None:
    cancel_fota_job(fleet_job.job_id, aws=aws)
    assert delete_fota_job(fleet_job.job_id, aws=aws).existed
    # The emulator answers HTTP 500 for a missing job: zaws checks first, so this is no error.
    again = delete_fota_job(fleet_job.job_id, aws=aws, project=project)
    assert not again.existed and again.forgotten_by_project
