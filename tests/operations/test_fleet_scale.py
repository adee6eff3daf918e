"""200 things added and cleaned up end to end, concurrently, with progress reported throughout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.project_invariants import assert_complete, remote_state
from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things
from zaws.operations.cleanup import cleanup
from zaws.operations.progress import ProgressReport


def test_two_hundred_things_added_and_cleaned_up(
    project: Path, aws: AwsSettings, boto: Any, policy: str
) -> None:
    reports: list[ProgressReport] = []
    added = add_things(project, aws=aws, base_name="fleet", count=200, progress=reports.append)
    assert [r.done for r in reports] == list(range(201))
    assert_complete(project, boto("iot"), [f"fleet_{i}" for i in range(200)], policy)

    reports.clear()
    done = cleanup(project, aws=aws, progress=reports.append)
    assert len(done.things_deleted) == 200 and reports[-1].done == reports[-1].total == 400
    assert remote_state(boto("iot")) == (set(), {})
    assert not (project / ".aws_things_resources").exists()
    assert added.active_thing == "fleet_0"
