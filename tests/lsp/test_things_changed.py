"""zaws/thingsChanged: after a method that changes things, and when the CLI in a terminal changes
the project on disk; code lenses and diagnostics follow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.lsp.conftest import Session, codes


async def test_after_a_method(session: Session, project_uri: str) -> None:
    await session.request("zaws/addThings", {"projectUri": project_uri, "baseName": "dev"})
    assert (await session.next_things_changed()) == {"projectUri": project_uri}


async def test_when_the_cli_changes_the_project(
    session: Session, project: Path, project_uri: str, run_zaws: Any
) -> None:
    await session.request(
        "zaws/addThings", {"projectUri": project_uri, "baseName": "dev", "count": 2}
    )
    await session.next_things_changed()
    uri = session.open(project / "thing.conf.json")
    assert await session.current_diagnostics(uri) == []
    session.things_changed.clear()
    done = run_zaws("set-active-thing", str(project), "--thing-id", "1")
    assert done.returncode == 0, done.stderr
    assert (await session.next_things_changed()) == {"projectUri": project_uri}
    # The open document still names dev_0: it now disagrees with the project.
    diagnostics = await session.diagnostics(uri, lambda d: "thingname-mismatch" in codes(d))
    assert "dev_1" in next(d.message for d in diagnostics if d.code == "thingname-mismatch")
