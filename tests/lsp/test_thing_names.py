"""Names that arrive over the language server: a thing name is never a path, a project name plain.

A real `zaws serve` on hand-made projects (nothing here calls AWS, so no emulator is needed).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session, start_session, stop_session
from tests.project.test_thing_project import original_project
from zaws.service.uris import uri_from_path


@pytest_asyncio.fixture
async def server(zaws_home: Path) -> AsyncIterator[Session]:
    started = await start_session(zaws_home)
    yield started
    await stop_session(started)


@pytest.fixture
def projects(tmp_path: Path) -> Path:
    """Project `p` (dev_0, dev_1) beside `other` (dev_0..dev_2); returns `p`."""
    original_project(tmp_path / "other", ["dev_0", "dev_1", "dev_2"])
    return original_project(tmp_path / "p", ["dev_0", "dev_1"])


async def error_of(session: Session, method: str, params: object) -> JsonRpcException:
    with pytest.raises(JsonRpcException) as caught:
        await session.request(method, params)
    assert isinstance(caught.value.data, dict)
    return caught.value


async def test_set_active_thing_refuses_names_that_are_not_thing_names(
    server: Session, projects: Path
) -> None:
    uri = uri_from_path(projects)
    for name in ("..", "../../other/.aws_things_resources/dev_2", "dev_0/../dev_1", "dev\n0"):
        error = await error_of(
            server, "zaws/setActiveThing", {"projectUri": uri, "thingName": name}
        )
        assert error.code == -32011, name
        assert error.data["code"] == "zaws.invalidInput" and "thing name" in str(error.message)
    assert not (projects / "private.pem.key").exists()
    active = await server.request("zaws/setActiveThing", {"projectUri": uri, "thingName": "dev_1"})
    assert active["thingName"] == "dev_1"


async def test_set_active_thing_refuses_a_stray_record(server: Session, projects: Path) -> None:
    stray = projects / ".aws_things_resources" / "dev_5"
    stray.mkdir()
    (stray / "thing.conf.json").write_text(json.dumps({"thingname": "dev_5", "cert_arn": "x"}))
    params = {"projectUri": uri_from_path(projects), "thingName": "dev_5"}
    error = await error_of(server, "zaws/setActiveThing", params)
    assert error.data["code"] == "zaws.project" and "not the record of a thing" in error.message


async def test_create_project_refuses_bad_names_before_writing(
    server: Session, tmp_path: Path
) -> None:
    parent = uri_from_path(tmp_path)
    for params, expected in (
        ({"name": "demo\nproject"}, "U+000A"),
        ({"name": "demo\u202e"}, "U+202E"),
        ({"name": "demo", "policyName": "bad policy"}, "not a valid AWS IoT policy name"),
    ):
        full = {"parentUri": parent, "endpoint": "e", **params}
        error = await error_of(server, "zaws/createProject", full)
        assert error.data["code"] == "zaws.invalidInput" and expected in error.message
    assert list(tmp_path.iterdir()) == []


async def test_list_things_shows_missing_files_and_stray_records(
    server: Session, projects: Path
) -> None:
    (projects / ".aws_things_resources" / "dev_0" / "certificate.pem.crt").unlink()
    stray = projects / ".aws_things_resources" / "dev_7"
    stray.mkdir()
    (stray / "thing.conf.json").write_text(json.dumps({"thingname": "dev_1"}))
    result = await server.request("zaws/listThings", {"projectUri": uri_from_path(projects)})
    assert {t["name"]: t["missingFiles"] for t in result["things"]} == {
        "dev_0": ["certificate.pem.crt"],
        "dev_1": [],
    }
    assert [Path(s["folder"]).name for s in result["strayRecords"]] == ["dev_7"]
