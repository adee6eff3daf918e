"""AWS IoT Jobs in the emulator behave as in AWS where moto alone does not: status, counts,
group targets, cancellation, deletion. Plain boto3 clients on the emulator, no zaws operation."""

from __future__ import annotations

import json
from typing import Any

import pytest

DOCUMENT = json.dumps({"operation": "fota"})


@pytest.fixture
def iot(aws: Any, boto: Any) -> Any:
    client = boto("iot")
    for name in ("dev_0", "dev_1", "dev_2"):
        client.create_thing(thingName=name)
    return client


def arn(iot: Any, thing: str) -> str:
    return str(iot.describe_thing(thingName=thing)["thingArn"])


def executions(iot: Any, job_id: str) -> dict[str, str]:
    listed = iot.list_job_executions_for_job(jobId=job_id)["executionSummaries"]
    return {e["thingArn"].rsplit("/", 1)[1]: e["jobExecutionSummary"]["status"] for e in listed}


def counts(iot: Any, job_id: str) -> dict[str, int]:
    details = iot.describe_job(jobId=job_id)["job"]["jobProcessDetails"]
    return {key: value for key, value in details.items() if key.startswith("number") and value}


def test_a_job_starts_in_progress_with_a_queued_execution_per_thing(iot: Any) -> None:
    targets = [arn(iot, name) for name in ("dev_0", "dev_1", "dev_2")]
    iot.create_job(jobId="j1", targets=targets, document=DOCUMENT)
    assert iot.describe_job(jobId="j1")["job"]["status"] == "IN_PROGRESS"
    assert executions(iot, "j1") == {"dev_0": "QUEUED", "dev_1": "QUEUED", "dev_2": "QUEUED"}
    assert counts(iot, "j1") == {"numberOfQueuedThings": 3}


def test_a_group_target_runs_on_each_thing_of_the_group(iot: Any) -> None:
    group = iot.create_thing_group(thingGroupName="fleet")["thingGroupArn"]
    for name in ("dev_0", "dev_2"):
        iot.add_thing_to_thing_group(thingGroupName="fleet", thingName=name)
    iot.create_job(jobId="j2", targets=[group], document=DOCUMENT)
    assert executions(iot, "j2") == {"dev_0": "QUEUED", "dev_2": "QUEUED"}
    assert counts(iot, "j2") == {"numberOfQueuedThings": 2}


def test_cancelling_cancels_the_queued_executions(iot: Any) -> None:
    iot.create_job(jobId="j3", targets=[arn(iot, "dev_0"), arn(iot, "dev_1")], document=DOCUMENT)
    iot.cancel_job(jobId="j3")
    assert iot.describe_job(jobId="j3")["job"]["status"] == "CANCELED"
    assert executions(iot, "j3") == {"dev_0": "CANCELED", "dev_1": "CANCELED"}
    assert counts(iot, "j3") == {"numberOfCanceledThings": 2}


def test_a_running_job_is_deleted_only_with_force_and_its_executions_go(iot: Any) -> None:
    iot.create_job(jobId="j4", targets=[arn(iot, "dev_1")], document=DOCUMENT)
    with pytest.raises(iot.exceptions.InvalidStateTransitionException):
        iot.delete_job(jobId="j4")
    iot.delete_job(jobId="j4", force=True)
    assert iot.list_job_executions_for_thing(thingName="dev_1")["executionSummaries"] == []


def test_a_missing_group_fails_the_job_and_leaves_nothing(iot: Any) -> None:
    missing = arn(iot, "dev_0").replace(":thing/dev_0", ":thinggroup/missing")
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.create_job(jobId="j5", targets=[arn(iot, "dev_0"), missing], document=DOCUMENT)
    assert iot.list_jobs()["jobs"] == []
    assert iot.list_job_executions_for_thing(thingName="dev_0")["executionSummaries"] == []


def test_counts_follow_each_execution_and_a_job_whose_executions_all_ended_completes(
    iot: Any,
) -> None:
    iot.create_job(jobId="j6", targets=[arn(iot, "dev_0"), arn(iot, "dev_1")], document=DOCUMENT)
    iot.cancel_job_execution(jobId="j6", thingName="dev_0")
    assert counts(iot, "j6") == {"numberOfQueuedThings": 1, "numberOfCanceledThings": 1}
    assert iot.describe_job(jobId="j6")["job"]["status"] == "IN_PROGRESS"
    iot.cancel_job_execution(jobId="j6", thingName="dev_1")
    assert iot.describe_job(jobId="j6")["job"]["status"] == "COMPLETED"
    assert [job["status"] for job in iot.list_jobs()["jobs"]] == ["COMPLETED"]
