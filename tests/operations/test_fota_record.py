"""The project's record of its FOTA jobs: round trip, removal, concurrent writers, broken files."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from zaws.errors import ProjectError
from zaws.project.fota_jobs_record import FotaJobsRecord, RecordedJob


def recorded(job_id: str) -> RecordedJob:
    return RecordedJob(
        job_id=job_id,
        job_arn=f"arn:aws:iot:us-east-1:1:job/{job_id}",
        started_at=1.0,
        things=["dev_0"],
        thing_group=None,
        bucket="fw",
        bucket_region="us-east-1",
        bytecode_key="k-bc",
        job_document_key="k-job",
        document_source="https://fw.s3.us-east-1.amazonaws.com/k-job",
        role_arn="arn:aws:iam::1:role/r",
        duration=600,
        bc_idx=1,
        bc_size=3,
        bc_crc="0" * 32,
    )


def test_jobs_are_kept_in_order_and_unknown_keys_survive(tmp_path: Path) -> None:
    record = FotaJobsRecord(tmp_path)
    assert record.jobs() == []
    record.add(recorded("a"))
    record.add(recorded("b"))
    data = json.loads(record.path.read_text())
    data["jobs"][0]["from_a_newer_zaws"] = 7
    record.path.write_text(json.dumps(data))
    record.add(recorded("c"))
    assert [j.job_id for j in record.jobs()] == ["a", "b", "c"]
    assert json.loads(record.path.read_text())["jobs"][0]["from_a_newer_zaws"] == 7
    assert record.path == tmp_path / ".zaws" / "fota-jobs.json"


def test_remove_says_whether_the_job_was_recorded(tmp_path: Path) -> None:
    record = FotaJobsRecord(tmp_path)
    record.add(recorded("a"))
    assert record.remove("a") is True
    assert record.remove("a") is False
    assert record.get("a") is None


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    def add(n: int) -> None:
        FotaJobsRecord(tmp_path).add(recorded(f"job-{n}"))

    threads = [threading.Thread(target=add, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(FotaJobsRecord(tmp_path).jobs()) == 20


@pytest.mark.parametrize("content", ["{not json", "[]", '{"jobs": [{"job_id": "x"}]}'])
def test_a_broken_record_is_a_project_error_with_a_hint(tmp_path: Path, content: str) -> None:
    record = FotaJobsRecord(tmp_path)
    record.path.parent.mkdir()
    record.path.write_text(content)
    with pytest.raises(ProjectError, match="FOTA job record") as caught:
        record.jobs()
    assert caught.value.hint
