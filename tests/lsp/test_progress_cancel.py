"""Long requests: work-done progress on the client's token or the server's, both kinds of
cancellation (the request-cancelled error, things in flight finished, a resumable state), and a
server that keeps answering while they run."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session
from tests.protocol.contract import assert_result_matches

PROGRESS = types.PROGRESS


async def reports(session: Session, token: Any, at_least: int = 1) -> list[Any]:
    """Wait until `token` has at least `at_least` progress values beyond its begin."""
    async with asyncio.timeout(60):
        while True:
            arrived = session.client.protocol.wait_for_notification_async(PROGRESS)
            values = session.client.progress_reports.get(token, [])
            if sum(isinstance(v, types.WorkDoneProgressReport) for v in values) >= at_least:
                return values
            await arrived


async def server_token(session: Session) -> Any:
    async with asyncio.timeout(60):
        while not session.client.progress_reports:
            await session.client.protocol.wait_for_notification_async(PROGRESS)
    [token] = session.client.progress_reports
    return token


def add_things(project_uri: str, count: int, **extra: Any) -> dict[str, Any]:
    return {"projectUri": project_uri, "baseName": "dev", "count": count, **extra}


def things_on_disk(project: Path) -> int:
    folder = project / ".aws_things_resources"
    return (
        len([p for p in folder.iterdir() if not p.name.startswith(".")]) if folder.exists() else 0
    )


async def test_progress_on_the_clients_token(session: Session, project_uri: str) -> None:
    session.client.progress_reports.setdefault("my-token", [])
    result = await session.request(
        "zaws/addThings", add_things(project_uri, 4, workDoneToken="my-token")
    )
    assert_result_matches("zaws/addThings", result)
    values = session.client.progress_reports["my-token"]
    assert isinstance(values[0], types.WorkDoneProgressBegin) and values[0].cancellable
    assert isinstance(values[-1], types.WorkDoneProgressEnd) and values[-1].message == "Done"
    percentages = [v.percentage for v in values if isinstance(v, types.WorkDoneProgressReport)]
    assert percentages and percentages == sorted(percentages) and percentages[-1] == 100


async def test_progress_on_a_token_the_server_creates(session: Session, project_uri: str) -> None:
    await session.request("zaws/addThings", add_things(project_uri, 2))
    [(token, values)] = session.client.progress_reports.items()
    assert str(token).startswith("zaws-")
    assert isinstance(values[-1], types.WorkDoneProgressEnd)


async def test_no_progress_when_the_client_cannot_show_it(
    aws: Any, zaws_home: Path, project_uri: str
) -> None:
    from tests.lsp.conftest import start_session, stop_session

    session = await start_session(zaws_home, capabilities=types.ClientCapabilities())
    try:
        result = await session.request("zaws/addThings", add_things(project_uri, 1))
        assert result["things"] == ["dev_0"] and session.client.progress_reports == {}
    finally:
        await stop_session(session)


async def test_cancel_request_stops_after_things_in_flight(
    session: Session, project: Path, project_uri: str
) -> None:
    session.client.progress_reports.setdefault("t", [])
    running = asyncio.ensure_future(
        session.request(
            "zaws/addThings", add_things(project_uri, 150, workDoneToken="t"), msg_id=77
        )
    )
    await reports(session, "t", at_least=2)
    # The server answers other requests while the long one runs.
    listed = await session.request("zaws/listThings", {"projectUri": project_uri})
    assert listed["pendingAddThings"] is True
    session.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=77))
    with pytest.raises(JsonRpcException) as caught:
        await running
    assert caught.value.code == -32800
    assert isinstance(caught.value.data, dict) and caught.value.data["code"] == "zaws.cancelled"
    made = things_on_disk(project)
    assert 0 < made < 150
    values = session.client.progress_reports["t"]
    assert isinstance(values[-1], types.WorkDoneProgressEnd) and values[-1].message == "Cancelled"
    # Resumable: the same request finishes the job.
    finished = await session.request("zaws/addThings", add_things(project_uri, 150))
    assert finished["resumed"] is True and things_on_disk(project) == 150


async def test_progress_cancel_button(session: Session, project: Path, project_uri: str) -> None:
    running = asyncio.ensure_future(session.request("zaws/addThings", add_things(project_uri, 150)))
    token = await server_token(session)
    await reports(session, token, at_least=2)
    session.client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    with pytest.raises(JsonRpcException) as caught:
        await running
    assert caught.value.code == -32800
    assert 0 < things_on_disk(project) < 150


async def test_cancelling_a_finished_request_is_harmless(
    session: Session, project_uri: str
) -> None:
    await session.request("zaws/listThings", {"projectUri": project_uri}, msg_id=5)
    session.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=5))
    assert (await session.request("zaws/listThings", {"projectUri": project_uri}))["things"] == []
