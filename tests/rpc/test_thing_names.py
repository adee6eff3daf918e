"""Names that arrive over plain JSON-RPC: a thing name is never a path, a project name is plain.

The dispatcher in-process, on hand-made projects (nothing here calls AWS).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.project.test_thing_project import original_project
from zaws.rpc.dispatch import RpcDispatcher
from zaws.service.settings import ServerSettings
from zaws.service.uris import uri_from_path


@pytest.fixture
def dispatcher() -> RpcDispatcher:
    return RpcDispatcher(ServerSettings(local=True))


@pytest.fixture
def projects(tmp_path: Path) -> Path:
    """Project `p` (dev_0, dev_1) beside `other` (dev_0..dev_2); returns `p`."""
    original_project(tmp_path / "other", ["dev_0", "dev_1", "dev_2"])
    return original_project(tmp_path / "p", ["dev_0", "dev_1"])


def call(dispatcher: RpcDispatcher, method: str, params: dict[str, Any]) -> dict[str, Any]:
    message = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    answer = dispatcher.handle(json.dumps(message).encode())
    assert answer is not None
    return dict(json.loads(answer))


@pytest.mark.parametrize(
    "name", ["..", "../../other/.aws_things_resources/dev_2", "dev_0/..", "dev 0", "x" * 129]
)
def test_set_active_thing_refuses_a_name_that_is_not_a_thing_name(
    dispatcher: RpcDispatcher, projects: Path, name: str
) -> None:
    answer = call(
        dispatcher,
        "zaws/setActiveThing",
        {"projectUri": uri_from_path(projects), "thingName": name},
    )
    error = answer["error"]
    assert error["code"] == -32011 and error["data"]["code"] == "zaws.invalidInput"
    assert "thing name" in error["message"] and "letters, digits" in error["data"]["hint"]
    assert not (projects / "private.pem.key").exists()


def test_set_active_thing_refuses_a_stray_record(dispatcher: RpcDispatcher, projects: Path) -> None:
    stray = projects / ".aws_things_resources" / "dev_5"
    stray.mkdir()
    (stray / "thing.conf.json").write_text(json.dumps({"thingname": "dev_5"}))
    (stray / "private.pem.key").write_text("KEY")
    (stray / "certificate.pem.crt").write_text("CERT")
    answer = call(
        dispatcher,
        "zaws/setActiveThing",
        {"projectUri": uri_from_path(projects), "thingName": "dev_5"},
    )
    assert answer["error"]["data"]["code"] == "zaws.project"
    assert "not the record of a thing" in answer["error"]["message"]
    assert not (projects / "private.pem.key").exists()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"name": "demo\nproject"}, "U+000A"),
        ({"name": "a\\b"}, "path separator"),
        ({"name": "demo", "policyName": "bad policy"}, "not a valid AWS IoT policy name"),
    ],
)
def test_create_project_refuses_bad_names_before_writing(
    dispatcher: RpcDispatcher, tmp_path: Path, params: dict[str, str], expected: str
) -> None:
    full = {"parentUri": uri_from_path(tmp_path), "endpoint": "e", **params}
    error = call(dispatcher, "zaws/createProject", full)["error"]
    assert error["data"]["code"] == "zaws.invalidInput" and expected in error["message"]
    assert list(tmp_path.iterdir()) == []


def test_list_things_shows_missing_files_and_stray_records(
    dispatcher: RpcDispatcher, projects: Path
) -> None:
    (projects / ".aws_things_resources" / "dev_1" / "private.pem.key").unlink()
    stray = projects / ".aws_things_resources" / "notes"
    stray.mkdir()
    (stray / "thing.conf.json").write_text("{}")
    result = call(dispatcher, "zaws/listThings", {"projectUri": uri_from_path(projects)})["result"]
    assert {t["name"]: t["missingFiles"] for t in result["things"]} == {
        "dev_0": [],
        "dev_1": ["private.pem.key"],
    }
    assert [Path(s["folder"]).name for s in result["strayRecords"]] == ["notes"]
    assert "thingname" in result["strayRecords"][0]["reason"]
