"""FOTA campaigns, monitoring, verification and setup through a real LSP client, against the
emulator; zaws/fotaJobsChanged after a start, a cancel and a delete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session
from tests.protocol.contract import assert_result_matches
from zaws.service.uris import uri_from_path


async def request(session: Session, method: str, params: Any) -> Any:
    result = await session.request(method, params)
    assert_result_matches(method, result)
    return result


async def error_of(session: Session, method: str, params: Any) -> JsonRpcException:
    with pytest.raises(JsonRpcException) as caught:
        await session.request(method, params)
    return caught.value


@pytest.fixture
def firmware_uri(fota_setup: dict[str, str]) -> str:
    return uri_from_path(Path(fota_setup["firmware"]))


async def start(
    session: Session, project_uri: str, firmware_uri: str, fota_setup: dict[str, str], **more: Any
) -> Any:
    params = {
        "projectUri": project_uri,
        "firmwareUri": firmware_uri,
        "bucket": fota_setup["bucket"],
        "role": fota_setup["role"],
        **more,
    }
    return await request(session, "zaws/startFota", params)


async def add_things(session: Session, project_uri: str, count: int) -> None:
    params = {"projectUri": project_uri, "baseName": "dev", "count": count}
    await request(session, "zaws/addThings", params)
    await session.next_things_changed()


async def test_campaign_monitor_cancel_delete(
    session: Session, project_uri: str, firmware_uri: str, fota_setup: dict[str, str]
) -> None:
    await add_things(session, project_uri, 3)
    started = await start(
        session, project_uri, firmware_uri, fota_setup, allThings=True, maxPerMinute=5
    )
    assert started["things"] == ["dev_0", "dev_1", "dev_2"]
    assert started["verification"]["ok"] is True and started["verification"]["findings"] == []
    assert (await session.next_fota_jobs_changed()) == {"projectUri": project_uri}
    job = started["jobId"]

    listed = await request(session, "zaws/listFotaJobs", {"projectUri": project_uri})
    assert listed["projectUri"] == project_uri
    [summary] = listed["jobs"]
    assert summary["jobId"] == job and summary["things"] == ["dev_0", "dev_1", "dev_2"]
    assert summary["status"] == "IN_PROGRESS"
    assert set(summary["counts"]) == {
        "queued",
        "inProgress",
        "succeeded",
        "failed",
        "rejected",
        "canceled",
        "timedOut",
        "removed",
    }

    described = await request(session, "zaws/describeFotaJob", {"jobId": job})
    assert described["jobId"] == job and described["rollout"] == {"maximumPerMinute": 5}
    assert described["urlValidity"] == 3600 and len(described["targets"]) == 3
    assert [e["thingName"] for e in described["executions"]] == ["dev_0", "dev_1", "dev_2"]

    error = await error_of(session, "zaws/cancelFotaJob", {"jobId": job})
    assert error.code == -32017 and isinstance(error.data, dict)
    assert error.data["code"] == "zaws.confirmationRequired"
    assert session.fota_jobs_changed == []  # nothing changed: nothing announced
    cancelled = await request(
        session, "zaws/cancelFotaJob", {"jobId": job, "force": True, "confirm": True}
    )
    assert cancelled["status"] == "CANCELED" and cancelled["leftRunning"] == 0
    # The cancel names no project: the server finds the watched one that records the job.
    assert (await session.next_fota_jobs_changed()) == {"projectUri": project_uri}

    error = await error_of(session, "zaws/deleteFotaJob", {"jobId": job, "projectUri": project_uri})
    assert error.code == -32017
    deleted = await request(
        session, "zaws/deleteFotaJob", {"jobId": job, "projectUri": project_uri, "confirm": True}
    )
    assert deleted == {"jobId": job, "existed": True, "forgottenByProject": True}
    assert (await session.next_fota_jobs_changed()) == {"projectUri": project_uri}
    listed = await request(session, "zaws/listFotaJobs", {"projectUri": project_uri})
    assert listed["jobs"] == []

    error = await error_of(session, "zaws/describeFotaJob", {"jobId": job})
    assert error.code == -32013


@pytest.mark.parametrize(
    "targets",
    [
        {"thingName": "dev_1"},
        {"thingNames": ["dev_0", "dev_1"]},
        {"thingGroup": "fleet", "syncGroup": True},
    ],
)
async def test_target_forms(
    session: Session,
    project_uri: str,
    firmware_uri: str,
    fota_setup: dict[str, str],
    targets: dict[str, Any],
) -> None:
    await add_things(session, project_uri, 2)
    started = await start(session, project_uri, firmware_uri, fota_setup, verify=False, **targets)
    assert started["verification"] is None
    expected = [targets["thingName"]] if "thingName" in targets else ["dev_0", "dev_1"]
    assert started["things"] == expected
    assert started["thingGroup"] == targets.get("thingGroup")


async def test_verify_reports_problems_as_findings(
    session: Session,
    project_uri: str,
    firmware_uri: str,
    fota_setup: dict[str, str],
    boto: Any,
) -> None:
    await add_things(session, project_uri, 1)
    started = await start(session, project_uri, firmware_uri, fota_setup, verify=False)
    good = await request(session, "zaws/verifyFota", {"jobId": started["jobId"]})
    assert good["ok"] is True and good["jobId"] == started["jobId"]
    assert good["firmwareUrl"] and good["documentSource"]
    boto("s3").delete_object(Bucket=fota_setup["bucket"], Key=started["bytecodeKey"])
    broken = await request(
        session, "zaws/verifyFota", {"jobId": started["jobId"], "projectUri": project_uri}
    )
    assert broken["ok"] is False
    [finding] = [f for f in broken["findings"] if f["check"] == "firmware.download"]
    assert finding["severity"] == "error" and finding["hint"]
    error = await error_of(session, "zaws/verifyFota", {"jobId": "no-such-job"})
    assert error.code == -32013 and isinstance(error.data, dict)
    assert error.data["code"] == "zaws.notFound"


async def test_fota_setup(session: Session, boto: Any) -> None:
    made = await request(session, "zaws/fotaSetup", {"bucket": "s3://fresh-bucket", "role": "r1"})
    assert made["bucket"] == "fresh-bucket" and made["bucketCreated"] is True
    assert made["roleName"] == "r1" and made["roleCreated"] is True
    again = await request(session, "zaws/fotaSetup", {"bucket": "fresh-bucket", "role": "r1"})
    assert again["bucketCreated"] is False and again["roleCreated"] is False
    assert again["roleArn"] == made["roleArn"]
    role = boto("iam").get_role(RoleName="r1")["Role"]
    assert "iot.amazonaws.com" in str(role["AssumeRolePolicyDocument"])


BAD_START = [
    ({"thingName": "a", "allThings": True}, "takes one of thingName"),
    ({"syncGroup": True}, "syncGroup needs thingGroup"),
    ({"thingNames": []}, "thingNames must not be empty"),
    ({"thingNames": "dev_0"}, "thingNames must be an array of strings"),
    ({"maxPerMinute": 0}, "maxPerMinute must be between 1 and 1000"),
    ({"abortFailedPercent": 0}, "abortFailedPercent must be above 0"),
    ({"abortFailedPercent": 100.5}, "abortFailedPercent must be above 0"),
    ({"abortMinExecuted": 0}, "abortMinExecuted must be between 1"),
    ({"verify": "no"}, "verify must be true or false"),
    ({"colour": "red"}, "unknown params: colour"),
]


async def test_start_fota_bad_params(session: Session, project_uri: str, firmware_uri: str) -> None:
    full = {"projectUri": project_uri, "firmwareUri": firmware_uri, "bucket": "b", "role": "r"}
    for params, message in BAD_START:
        error = await error_of(session, "zaws/startFota", {**full, **params})
        assert error.code == -32602 and message in error.message, (params, error.message)
    assert session.fota_jobs_changed == []


async def test_all_things_needs_a_project(session: Session, firmware_uri: str) -> None:
    params = {"allThings": True, "firmwareUri": firmware_uri, "bucket": "b", "role": "r"}
    error = await error_of(session, "zaws/startFota", params)
    assert error.code == -32602 and "need projectUri" in error.message
