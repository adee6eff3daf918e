"""The reports of a bulk registration task: a line zaws cannot read (not JSON, or without what
AWS documents in it) is named, with its task, in a RemoteFailure (never a traceback) once every
readable line is recorded; the same command reads the reports again and finishes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.project_invariants import assert_complete, assert_nothing_lost, local_records
from zaws.aws.settings import AwsSettings
from zaws.emulator.iot_bulk_registration import REPORTS_BUCKET
from zaws.errors import RemoteFailure
from zaws.operations.add_things import add_things
from zaws.operations.progress import ProgressReport


def test_an_unreadable_report_line_is_named_and_the_rerun_reads_the_reports_again(
    project: Path, aws: AwsSettings, boto: Any, policy: str
) -> None:
    iot, s3 = boto("iot"), boto("s3")
    original: dict[str, bytes] = {}

    def garble_the_results(report: ProgressReport) -> None:
        if "Completed" not in report.message or original:
            return
        [task_id] = iot.list_thing_registration_tasks()["taskIds"]
        key = f"{task_id}/results-00000.json"
        original[key] = s3.get_object(Bucket=REPORTS_BUCKET, Key=key)["Body"].read()
        lines = original[key].decode().splitlines()
        lines[1] = '{"offset": 1, "respon'  # cut short
        lines[3] = '{"offset": 3}'  # JSON without the response
        s3.put_object(Bucket=REPORTS_BUCKET, Key=key, Body="\n".join(lines).encode())

    with pytest.raises(RemoteFailure) as unreadable:
        add_things(project, aws=aws, base_name="b", count=5, bulk=True, progress=garble_the_results)
    [task_id] = iot.list_thing_registration_tasks()["taskIds"]
    assert "2 line(s) of the reports AWS wrote for the bulk registration task" in (
        unreadable.value.message
    )
    assert f"line 2 of RESULTS report 1 of task {task_id}: it is not JSON" in (
        unreadable.value.message
    )
    assert "run the same command again" in (unreadable.value.hint or "")
    assert len(local_records(project)) == 3  # the readable lines are recorded
    assert_nothing_lost(project, iot)

    [(key, body)] = original.items()
    s3.put_object(Bucket=REPORTS_BUCKET, Key=key, Body=body)  # readable again
    finished = add_things(project, aws=aws, base_name="b", count=5, bulk=True)
    assert finished.resumed and iot.list_thing_registration_tasks()["taskIds"] == [task_id]
    assert_complete(project, iot, [f"b_{i}" for i in range(5)], policy)
