"""The Jobs MQTT API on moto's in-process backend: answers, versions, transitions, errors and
what the control plane then shows. The broker is a recording fake (`jobs_fixtures`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator.data_plane.jobs_fixtures import RecordingPlane, backends, client, create_job
from zaws.emulator.data_plane.jobs_service import JobsService

__all__ = ["backends"]
T = "$aws/things/dev_0/jobs"


@pytest.fixture
def plane() -> RecordingPlane:
    return RecordingPlane()


@pytest.fixture
def jobs(plane: RecordingPlane, backends: dict[str, Any]) -> Iterator[JobsService]:
    service = JobsService(plane, "http://127.0.0.1:5000")
    for name in ("dev_0", "dev_1"):
        backends["iot"].create_thing(name, None, None)
    yield service
    service.close()


def ask(jobs: JobsService, plane: RecordingPlane, topic: str, request: Any = None) -> Any:
    """Publish as dev_0; the one answer delivered to dev_0 (accepted or rejected)."""
    plane.take()
    payload = b"" if request is None else json.dumps(request).encode()
    jobs.on_publish(client("dev_0"), topic, payload)
    answers = [m for m in plane.take() if m.client_id == "dev_0"]
    assert len(answers) == 1, answers
    return answers[0]


def test_it_handles_the_jobs_topics_only(jobs: JobsService) -> None:
    assert jobs.handles(f"{T}/get") and jobs.handles(f"{T}/j1/update")
    assert not jobs.handles("$aws/things/dev_0/shadow/update")
    assert not jobs.handles("$aws/things/dev_0/jobs")


def test_get_lists_the_queued_jobs_to_the_requester_with_its_token(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    create_job(backends["iot"], "j1", ["dev_0"])
    create_job(backends["iot"], "j2", ["dev_0", "dev_1"])
    answer = ask(jobs, plane, f"{T}/get", {"clientToken": "uid123"})
    assert answer.topic == f"{T}/get/accepted"
    body = answer.body
    assert body["clientToken"] == "uid123" and isinstance(body["timestamp"], int)
    assert body["inProgressJobs"] == []
    assert [job["jobId"] for job in body["queuedJobs"]] == ["j1", "j2"]
    first = body["queuedJobs"][0]
    assert first["versionNumber"] == 1 and first["executionNumber"] == 1
    assert "startedAt" not in first and first["queuedAt"] <= first["lastUpdatedAt"]


def test_describe_answers_the_execution_and_its_document(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    create_job(backends["iot"], "j1", ["dev_0"], document='{"operation": "fota", "bc_idx": 1}')
    execution = ask(jobs, plane, f"{T}/j1/get", {"clientToken": "t"}).body["execution"]
    assert execution["jobId"] == "j1" and execution["thingName"] == "dev_0"
    assert execution["status"] == "QUEUED" and execution["versionNumber"] == 1
    assert execution["jobDocument"] == {"operation": "fota", "bc_idx": 1}
    bare = ask(jobs, plane, f"{T}/j1/get", {"includeJobDocument": False}).body["execution"]
    assert "jobDocument" not in bare
    assert ask(jobs, plane, f"{T}/$next/get").body["execution"]["jobId"] == "j1"


def test_an_update_moves_the_execution_and_the_control_plane_sees_it(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    iot = backends["iot"]
    create_job(iot, "j1", ["dev_0", "dev_1"])
    request = {
        "status": "IN_PROGRESS",
        "statusDetails": {"step": "download"},
        "expectedVersion": 1,
        "includeJobExecutionState": True,
    }
    answer = ask(jobs, plane, f"{T}/j1/update", request)
    assert answer.topic == f"{T}/j1/update/accepted"
    assert answer.body["executionState"] == {
        "status": "IN_PROGRESS",
        "statusDetails": {"step": "download"},
        "versionNumber": 2,
    }
    assert "clientToken" not in answer.body  # the Zerynth library sends none
    described = iot.describe_job_execution("j1", "dev_0", None).to_get_dict()
    assert described["status"] == "IN_PROGRESS" and described["versionNumber"] == 2
    assert described["statusDetails"] == {"detailsMap": {"step": "download"}}
    counts = iot.describe_job("j1").job_process_details
    assert counts["numberOfInProgressThings"] == 1 and counts["numberOfQueuedThings"] == 1
    started = ask(jobs, plane, f"{T}/j1/get").body["execution"]
    assert started["startedAt"] >= started["queuedAt"]


def test_status_details_merge_and_each_update_adds_one_to_the_version(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    create_job(backends["iot"], "j1", ["dev_0"])
    ask(jobs, plane, f"{T}/j1/update", {"status": "IN_PROGRESS", "statusDetails": {"a": "1"}})
    ask(jobs, plane, f"{T}/j1/update", {"status": "IN_PROGRESS", "statusDetails": {"b": "2"}})
    answer = ask(
        jobs, plane, f"{T}/j1/update", {"status": "SUCCEEDED", "includeJobExecutionState": True}
    )
    assert answer.body["executionState"] == {
        "status": "SUCCEEDED",
        "statusDetails": {"a": "1", "b": "2"},
        "versionNumber": 4,
    }
    job = backends["iot"].describe_job("j1")
    assert job.status == "COMPLETED" and job.job_process_details["numberOfSucceededThings"] == 1


def test_a_stale_expected_version_is_a_version_mismatch_with_the_state(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    create_job(backends["iot"], "j1", ["dev_0"])
    ask(jobs, plane, f"{T}/j1/update", {"status": "IN_PROGRESS", "expectedVersion": 1})
    answer = ask(
        jobs,
        plane,
        f"{T}/j1/update",
        {"status": "SUCCEEDED", "expectedVersion": 1, "clientToken": "c"},
    )
    assert answer.topic == f"{T}/j1/update/rejected"
    assert answer.body["code"] == "VersionMismatch" and answer.body["clientToken"] == "c"
    assert answer.body["executionState"] == {"status": "IN_PROGRESS", "versionNumber": 2}
    assert backends["iot"].job_executions[("j1", "dev_0")].status == "IN_PROGRESS"


@pytest.mark.parametrize("ended", ["SUCCEEDED", "FAILED", "REJECTED"])
def test_a_terminal_execution_takes_no_more_updates(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any], ended: str
) -> None:
    create_job(backends["iot"], "j1", ["dev_0"])
    ask(jobs, plane, f"{T}/j1/update", {"status": ended})
    answer = ask(jobs, plane, f"{T}/j1/update", {"status": "IN_PROGRESS"})
    assert answer.body["code"] == "InvalidStateTransition"
    assert answer.body["executionState"]["status"] == ended


def test_a_cancelled_execution_takes_no_updates(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    create_job(backends["iot"], "j1", ["dev_0"])
    backends["iot"].cancel_job("j1", None, None, False)
    answer = ask(jobs, plane, f"{T}/j1/update", {"status": "SUCCEEDED"})
    assert answer.body["code"] == "InvalidStateTransition"
    assert answer.body["executionState"] == {"status": "CANCELED", "versionNumber": 2}


@pytest.mark.parametrize("ended", ["SUCCEEDED", "FAILED", "REJECTED", "CANCELED"])
def test_describing_an_ended_execution_is_terminal_state_reached(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any], ended: str
) -> None:
    create_job(backends["iot"], "j1", ["dev_0"])
    assert ask(jobs, plane, f"{T}/j1/get").topic == f"{T}/j1/get/accepted"
    if ended == "CANCELED":
        backends["iot"].cancel_job("j1", None, None, False)
    else:
        ask(jobs, plane, f"{T}/j1/update", {"status": ended})
    answer = ask(jobs, plane, f"{T}/j1/get", {"clientToken": "t"})
    assert answer.topic == f"{T}/j1/get/rejected"
    assert answer.body["code"] == "TerminalStateReached" and ended in answer.body["message"]
    assert answer.body["clientToken"] == "t" and "executionState" not in answer.body
    assert "execution" not in ask(jobs, plane, f"{T}/$next/get").body  # nothing pending


@pytest.mark.parametrize(
    ("topic", "payload", "code"),
    [
        (f"{T}/j1/update", b"{not json", "InvalidJson"),
        (f"{T}/j1/update", b"[1]", "InvalidJson"),
        (f"{T}/j1/update", b'{"status": "QUEUED"}', "InvalidRequest"),
        (f"{T}/j1/update", b'{"status": "CANCELED"}', "InvalidRequest"),
        (
            f"{T}/j1/update",
            b'{"status": "IN_PROGRESS", "statusDetails": {"a": 1}}',
            "InvalidRequest",
        ),
        (f"{T}/j1/update", b'{"status": "IN_PROGRESS", "expectedVersion": "1"}', "InvalidRequest"),
        (f"{T}/nope/update", b'{"status": "IN_PROGRESS"}', "ResourceNotFound"),
        (f"{T}/nope/get", b"{}", "ResourceNotFound"),
        (f"{T}/j1/get", b'{"executionNumber": 2}', "ResourceNotFound"),
        (f"{T}/j1/get", b'{"clientToken": ""}', "InvalidRequest"),
        (f"{T}/j1/delete", b"{}", "InvalidTopic"),
    ],
)
def test_bad_requests_are_rejected_with_awss_codes(
    jobs: JobsService,
    plane: RecordingPlane,
    backends: dict[str, Any],
    topic: str,
    payload: bytes,
    code: str,
) -> None:
    create_job(backends["iot"], "j1", ["dev_0"])
    plane.take()
    jobs.on_publish(client("dev_0"), topic, payload)
    (answer,) = plane.take()
    assert answer.client_id == "dev_0" and answer.topic == f"{topic}/rejected"
    assert answer.body["code"] == code and answer.body["message"]
    assert "executionState" not in answer.body
    assert backends["iot"].job_executions[("j1", "dev_0")].version_number == 1


def test_start_next_starts_the_oldest_queued_execution_after_any_in_progress(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    create_job(backends["iot"], "j1", ["dev_0"])
    create_job(backends["iot"], "j2", ["dev_0"])
    first = ask(jobs, plane, f"{T}/start-next", {"statusDetails": {"by": "start-next"}})
    assert first.topic == f"{T}/start-next/accepted"
    execution = first.body["execution"]
    assert execution["jobId"] == "j1" and execution["status"] == "IN_PROGRESS"
    assert execution["statusDetails"] == {"by": "start-next"} and execution["versionNumber"] == 2
    again = ask(jobs, plane, f"{T}/start-next", {"statusDetails": {"by": "again"}})
    assert again.body["execution"]["statusDetails"] == {"by": "start-next"}  # kept
    ask(jobs, plane, f"{T}/j1/update", {"status": "SUCCEEDED"})
    assert ask(jobs, plane, f"{T}/start-next").body["execution"]["jobId"] == "j2"
    ask(jobs, plane, f"{T}/j2/update", {"status": "FAILED"})
    nothing = ask(jobs, plane, f"{T}/start-next").body
    assert "execution" not in nothing and "timestamp" in nothing
    assert "execution" not in ask(jobs, plane, f"{T}/$next/get").body


def test_a_job_created_over_the_control_plane_notifies_the_thing(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    plane.take()
    create_job(backends["iot"], "j1", ["dev_0"])
    sent = {m.topic: m for m in plane.take()}
    assert set(sent) == {f"{T}/notify", f"{T}/notify-next"}
    assert all(m.client_id is None for m in sent.values())  # to subscribers, iot:Receive checked
    queued = sent[f"{T}/notify"].body["jobs"]
    assert list(queued) == ["QUEUED"] and queued["QUEUED"][0]["jobId"] == "j1"
    head = sent[f"{T}/notify-next"].body["execution"]
    assert head["jobId"] == "j1" and head["jobDocument"] == {"operation": "fota"}

    create_job(backends["iot"], "j2", ["dev_0"])  # the head stays j1: notify only
    assert [m.topic for m in plane.take()] == [f"{T}/notify"]


def test_notifications_follow_the_device_and_end_with_an_empty_list(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    create_job(backends["iot"], "j1", ["dev_0"])
    create_job(backends["iot"], "j2", ["dev_0"])
    ask(jobs, plane, f"{T}/j2/update", {"status": "IN_PROGRESS"})
    # j2 went QUEUED -> IN_PROGRESS and to the front: notify-next, no notify (AWS's example)
    plane.take()
    jobs.on_publish(client(), f"{T}/j2/update", b'{"status": "IN_PROGRESS"}')
    assert [m.topic for m in plane.take() if m.client_id is None] == []
    jobs.on_publish(client(), f"{T}/j2/update", b'{"status": "SUCCEEDED"}')
    sent = {m.topic: m.body for m in plane.take() if m.client_id is None}
    assert [job["jobId"] for job in sent[f"{T}/notify"]["jobs"]["QUEUED"]] == ["j1"]
    assert sent[f"{T}/notify-next"]["execution"]["jobId"] == "j1"
    jobs.on_publish(client(), f"{T}/j1/update", b'{"status": "REJECTED"}')
    sent = {m.topic: m.body for m in plane.take() if m.client_id is None}
    assert sent[f"{T}/notify"]["jobs"] == {}
    assert list(sent[f"{T}/notify-next"]) == ["timestamp"]


def test_a_device_moving_to_the_front_gets_notify_next(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    create_job(backends["iot"], "j1", ["dev_0"])
    create_job(backends["iot"], "j2", ["dev_0"])
    plane.take()
    jobs.on_publish(client(), f"{T}/j2/update", b'{"status": "IN_PROGRESS"}')
    public = [m for m in plane.take() if m.client_id is None]
    assert [m.topic for m in public] == [f"{T}/notify-next"]
    assert public[0].body["execution"]["jobId"] == "j2"


def test_cancelling_and_deleting_over_the_control_plane_notify(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    iot = backends["iot"]
    create_job(iot, "j1", ["dev_0", "dev_1"])
    plane.take()
    iot.cancel_job("j1", None, None, False)
    topics = sorted(m.topic for m in plane.take())
    assert topics == sorted(
        f"$aws/things/{t}/jobs/{n}" for t in ("dev_0", "dev_1") for n in ("notify", "notify-next")
    )
    create_job(iot, "j2", ["dev_1"])
    plane.take()
    iot.delete_job("j2", True)
    assert {m.topic for m in plane.take()} == {
        "$aws/things/dev_1/jobs/notify",
        "$aws/things/dev_1/jobs/notify-next",
    }


def test_a_closed_service_hears_nothing_more(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    jobs.close()
    create_job(backends["iot"], "j1", ["dev_0"])
    assert plane.take() == []
