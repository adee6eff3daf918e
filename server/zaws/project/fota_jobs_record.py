"""The FOTA jobs started from a project, remembered in `<project>/.zaws/fota-jobs.json`.

AWS lists every job of the account; a project wants its own, with what it needs to check them
later: the job document's S3 location (AWS's describe_job returns it, the local emulator does not),
the targets and the firmware's checksum. Writes are atomic and serialised by a lock on
`.zaws/fota-jobs.lock`, so two zaws processes never lose each other's records. Never imports boto3.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from zaws.errors import ProjectError
from zaws.project import layout
from zaws.project.atomic_files import write_json

RECORD_NAME = "fota-jobs.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class RecordedJob:
    job_id: str
    job_arn: str
    started_at: float  # unix time
    things: list[str]
    thing_group: str | None
    bucket: str
    bucket_region: str
    bytecode_key: str
    job_document_key: str
    document_source: str  # https URL of the job document in S3
    role_arn: str
    duration: int
    bc_idx: int
    bc_size: int
    bc_crc: str
    extra: dict[str, Any] = field(default_factory=dict)  # keys written by newer versions

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(data.pop("extra"))
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecordedJob:
        names = {f.name for f in fields(cls)} - {"extra"}
        known = {k: v for k, v in data.items() if k in names}
        extra = {k: v for k, v in data.items() if k not in names}
        return cls(**known, extra=extra)


class FotaJobsRecord:
    """`FotaJobsRecord(project_root)`; reads are lock-free, changes hold the record's lock."""

    def __init__(self, project_root: Path) -> None:
        self.state_dir = Path(project_root) / layout.STATE_DIR
        self.path = self.state_dir / RECORD_NAME

    def jobs(self) -> list[RecordedJob]:
        """Oldest first."""
        return self._read()

    def get(self, job_id: str) -> RecordedJob | None:
        return next((job for job in self._read() if job.job_id == job_id), None)

    def add(self, job: RecordedJob) -> None:
        with self._locked():
            jobs = [j for j in self._read() if j.job_id != job.job_id]
            self._write([*jobs, job])

    def remove(self, job_id: str) -> bool:
        """Forget a job; False when it was not recorded."""
        with self._locked():
            jobs = self._read()
            kept = [j for j in jobs if j.job_id != job_id]
            if len(kept) == len(jobs):
                return False
            self._write(kept)
            return True

    def _read(self) -> list[RecordedJob]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as err:
            raise self._broken(f"cannot be read ({err})") from None
        entries = data.get("jobs") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise self._broken("has no list of jobs")
        try:
            return [RecordedJob.from_dict(entry) for entry in entries]
        except TypeError as err:
            raise self._broken(f"has a malformed job ({err})") from None

    def _write(self, jobs: list[RecordedJob]) -> None:
        write_json(self.path, {"version": FORMAT_VERSION, "jobs": [j.to_dict() for j in jobs]})

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.state_dir / "fota-jobs.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # held for one read-modify-write only
            yield
        finally:
            os.close(fd)

    def _broken(self, why: str) -> ProjectError:
        return ProjectError(
            f"The project's FOTA job record {self.path} {why}",
            "fix or delete the file (the jobs themselves stay in AWS: `aws iot list-jobs`)",
        )
