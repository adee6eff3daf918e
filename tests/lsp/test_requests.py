"""Every zaws/* method through a real LSP client, against the emulator; results match the
contract; expected failures are JSON-RPC errors whose data says what failed and what to do."""

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


async def test_create_project_and_policy(session: Session, tmp_path: Path) -> None:
    policy = await request(session, "zaws/createPolicy", {"name": "fleet-policy"})
    assert policy["created"] is True and policy["arn"].endswith("fleet-policy")
    again = await request(session, "zaws/createPolicy", {"name": "fleet-policy"})
    assert again["created"] is False
    made = await request(
        session,
        "zaws/createProject",
        {"name": "sensor", "parentUri": uri_from_path(tmp_path), "policyName": "fleet-policy"},
    )
    assert made["projectUri"] == uri_from_path(tmp_path / "sensor")
    assert (tmp_path / "sensor" / "thing.conf.json").is_file()


async def test_add_list_activate(session: Session, project_uri: str) -> None:
    added = await request(
        session, "zaws/addThings", {"projectUri": project_uri, "baseName": "dev", "count": 3}
    )
    assert added["things"] == ["dev_0", "dev_1", "dev_2"] and added["activeThing"] == "dev_0"
    active = await request(
        session, "zaws/setActiveThing", {"projectUri": project_uri, "thingName": "dev_2"}
    )
    assert active["thingName"] == "dev_2"
    listed = await request(session, "zaws/listThings", {"projectUri": project_uri})
    assert listed["activeThing"] == "dev_2"
    assert [(t["name"], t["active"]) for t in listed["things"]] == [
        ("dev_0", False),
        ("dev_1", False),
        ("dev_2", True),
    ]
    remote = await request(session, "zaws/listThings", {"projectUri": project_uri, "remote": True})
    assert {t["remote"]["certificateStatus"] for t in remote["things"]} == {"ACTIVE"}


async def test_cleanup_needs_confirm(session: Session, project: Path, project_uri: str) -> None:
    await request(session, "zaws/addThings", {"projectUri": project_uri, "baseName": "dev"})
    plan = await request(session, "zaws/cleanup", {"projectUri": project_uri})
    assert plan["confirmed"] is False
    assert [t["thingName"] for t in plan["plan"]["targets"]] == ["dev_0"]
    assert (project / ".aws_things_resources" / "dev_0").is_dir()
    done = await request(session, "zaws/cleanup", {"projectUri": project_uri, "confirm": True})
    assert done["done"]["thingsDeleted"] == ["dev_0"]
    assert not (project / ".aws_things_resources").exists()


async def test_start_fota_on_the_active_thing(
    session: Session, project_uri: str, fota_setup: dict[str, str]
) -> None:
    await request(session, "zaws/addThings", {"projectUri": project_uri, "baseName": "dev"})
    started = await request(
        session,
        "zaws/startFota",
        {
            "projectUri": project_uri,
            "firmwareUri": uri_from_path(Path(fota_setup["firmware"])),
            "bucket": "s3://" + fota_setup["bucket"],
            "role": fota_setup["role"],
        },
    )
    assert started["thingName"] == "dev_0" and started["jobId"].startswith("fota-dev_0-")


def data(error: JsonRpcException) -> dict[str, Any]:
    assert isinstance(error.data, dict)
    return error.data


async def error_of(session: Session, method: str, params: Any) -> JsonRpcException:
    with pytest.raises(JsonRpcException) as caught:
        await session.request(method, params)
    return caught.value


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (None, "needs the param projectUri"),
        ({"projectUri": 5}, "projectUri must be a string, got a number"),
        ({"projectUri": "/tmp"}, "must be a file URI"),
        ({"projectUri": "file:///no/such/folder"}, "names no existing folder"),
        ({"projectUri": "file:///tmp", "remote": "yes"}, "remote must be true or false"),
        ({"projectUri": "file:///tmp", "colour": 1}, "unknown params: colour"),
        (["file:///tmp"], "by name"),
    ],
)
async def test_bad_params_are_invalid_params(session: Session, params: Any, message: str) -> None:
    error = await error_of(session, "zaws/listThings", params)
    assert error.code == -32602 and message in error.message
    assert data(error)["code"] == "zaws.invalidParams"


async def test_expected_failures_carry_code_and_hint(session: Session, tmp_path: Path) -> None:
    error = await error_of(session, "zaws/listThings", {"projectUri": uri_from_path(tmp_path)})
    assert error.code == -32012
    assert data(error)["code"] == "zaws.project" and data(error)["hint"]
    error = await error_of(session, "zaws/addThings", {"projectUri": uri_from_path(tmp_path)})
    assert error.code == -32012


async def test_missing_policy_is_not_found(session: Session, project_uri: str, boto: Any) -> None:
    boto("iot").delete_policy(policyName="device-policy")
    error = await error_of(
        session, "zaws/addThings", {"projectUri": project_uri, "baseName": "dev"}
    )
    assert error.code == -32013 and "create-policy" in data(error)["hint"]


async def test_unknown_method(session: Session) -> None:
    error = await error_of(session, "zaws/noSuchMethod", {})
    assert error.code == -32601


async def test_exactly_one_of_thing_id_and_name(session: Session, project_uri: str) -> None:
    error = await error_of(
        session, "zaws/setActiveThing", {"projectUri": project_uri, "thingId": 0, "thingName": "a"}
    )
    assert error.code == -32602


async def test_an_operating_system_error_is_a_local_file_error_without_traceback(
    session: Session, tmp_path: Path
) -> None:
    error = await error_of(
        session,
        "zaws/createProject",
        {"name": "a" * 300, "parentUri": uri_from_path(tmp_path), "policyName": "p"},
    )
    assert error.code == -32019
    assert data(error)["code"] == "zaws.localFile"
    assert "name too long" in str(error.message)
    assert "Traceback" not in repr(error.data)


async def test_a_request_refused_on_its_params_announces_no_change(
    session: Session, project_uri: str
) -> None:
    error = await error_of(session, "zaws/addThings", {"projectUri": project_uri, "count": 0})
    assert error.code == -32602
    # Announcements go out before the answer on the same stream: none came for this request.
    assert session.things_changed == []


async def test_remove_things_answers_the_plan_then_removes(
    session: Session, project_uri: str
) -> None:
    await session.request(
        "zaws/addThings", {"projectUri": project_uri, "baseName": "dev", "count": 2}
    )
    planned = await session.request(
        "zaws/removeThings", {"projectUri": project_uri, "thingNames": ["dev_0"]}
    )
    assert_result_matches("zaws/removeThings", planned)
    assert planned["plan"]["activeThingRemoved"] is True
    done = await session.request(
        "zaws/removeThings", {"projectUri": project_uri, "thingNames": ["dev_0"], "confirm": True}
    )
    assert_result_matches("zaws/removeThings", done)
    assert done["done"]["activeThingCleared"] is True
    error = await error_of(
        session, "zaws/removeThings", {"projectUri": project_uri, "thingNames": [".."]}
    )
    assert data(error)["code"] == "zaws.invalidInput"
