"""Code lenses on thing.conf.json: the active thing ("n of N") with a switch action, add things,
start FOTA; their commands are the client's own, never advertised by the server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types

from tests.lsp.conftest import Session, plain
from zaws.lsp.code_lens import LENS_COMMANDS


async def lenses(session: Session, uri: str) -> list[dict[str, Any]]:
    result = await session.client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return [
        {
            "line": lens.range.start.line,
            "title": lens.command.title,
            "command": lens.command.command,
            "arguments": plain(lens.command.arguments),
        }
        for lens in result or []
        if lens.command is not None
    ]


async def test_a_project_without_things(session: Session, project: Path, project_uri: str) -> None:
    uri = session.open(project / "thing.conf.json")
    assert await lenses(session, uri) == [
        {
            "line": 0,
            "title": "Add things",
            "command": "zaws.lens.addThings",
            "arguments": [{"projectUri": project_uri}],
        }
    ]


async def test_active_thing_n_of_n_add_and_fota(
    session: Session, project: Path, project_uri: str
) -> None:
    await session.request(
        "zaws/addThings", {"projectUri": project_uri, "baseName": "dev", "count": 3}
    )
    await session.request("zaws/setActiveThing", {"projectUri": project_uri, "thingId": 1})
    path = project / "thing.conf.json"
    uri = session.open(path)
    found = await lenses(session, uri)
    thing_line = next(
        i for i, line in enumerate(path.read_text().splitlines()) if "thingname" in line
    )
    target = {"projectUri": project_uri, "thingName": "dev_1"}
    assert found == [
        {
            "line": thing_line,
            "title": "Active thing: dev_1 (2 of 3) · switch",
            "command": "zaws.lens.switchActiveThing",
            "arguments": [target],
        },
        {
            "line": 0,
            "title": "Add things",
            "command": "zaws.lens.addThings",
            "arguments": [{"projectUri": project_uri}],
        },
        {"line": 0, "title": "Start FOTA", "command": "zaws.lens.startFota", "arguments": [target]},
    ]


async def test_lenses_follow_the_open_text(
    session: Session, project: Path, project_uri: str
) -> None:
    await session.request(
        "zaws/addThings", {"projectUri": project_uri, "baseName": "dev", "count": 2}
    )
    uri = session.open(project / "thing.conf.json")
    session.change(
        uri,
        (project / "thing.conf.json")
        .read_text()
        .replace('"thingname": "dev_0"', '"thingname": "x"'),
    )
    await session.current_diagnostics(uri)
    [active, *_] = await lenses(session, uri)
    assert active["title"] == "Active thing: x (not among the project's 2 things) · switch"


async def test_no_lenses_on_other_files(session: Session, project: Path) -> None:
    record_dir = project / "sub"
    record_dir.mkdir()
    (record_dir / "other.json").write_text("{}")
    assert await lenses(session, session.open(record_dir / "other.json")) == []


async def test_the_server_never_advertises_the_lens_commands(session: Session) -> None:
    assert session.initialize_result is not None
    capabilities = session.initialize_result.capabilities
    provider = capabilities.execute_command_provider
    assert not (set(provider.commands) if provider else set()) & set(LENS_COMMANDS)
    assert capabilities.code_lens_provider is not None
