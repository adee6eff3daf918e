"""Settings from initialization options and workspace/didChangeConfiguration (pushed or pulled)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types

from tests.lsp.conftest import Session, codes, start_session, stop_session

EU_ENDPOINT = '{"endpoint": "abc-ats.iot.eu-west-1.amazonaws.com", "policy_name": "p"}'


async def test_region_from_initialization_options(aws: Any, zaws_home: Path, project: Path) -> None:
    session = await start_session(zaws_home, options={"region": "eu-west-1"})
    try:
        uri = session.open(project / "thing.conf.json", text=EU_ENDPOINT)
        assert "endpoint-region" not in codes(await session.current_diagnostics(uri))
    finally:
        await stop_session(session)


async def test_pushed_settings_apply_to_open_documents(session: Session, project: Path) -> None:
    uri = session.open(project / "thing.conf.json", text=EU_ENDPOINT)
    assert "endpoint-region" in codes(await session.current_diagnostics(uri))
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"zaws": {"region": "eu-west-1"}})
    )
    await session.diagnostics(uri, lambda d: "endpoint-region" not in codes(d))


async def test_pulled_settings_when_the_notification_carries_none(
    session: Session, project: Path
) -> None:
    session.client.set_configuration({"region": "eu-west-1"}, section="zaws")
    uri = session.open(project / "thing.conf.json", text=EU_ENDPOINT)
    assert "endpoint-region" in codes(await session.current_diagnostics(uri))
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings=None)
    )
    await session.diagnostics(uri, lambda d: "endpoint-region" not in codes(d))


async def test_wrong_types_are_ignored_and_logged(session: Session, project: Path) -> None:
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"zaws": {"region": 5}})
    )
    uri = session.open(project / "thing.conf.json", text=EU_ENDPOINT)
    assert "endpoint-region" in codes(await session.current_diagnostics(uri))
    assert any("zaws.region" in m.message for m in session.client.log_messages)
