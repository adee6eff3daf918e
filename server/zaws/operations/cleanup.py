"""`iot-cleanup`: delete the project's things and certificates in AWS, then their local records.

Steps, in phases that are safe to run concurrently (the emulator and AWS both dislike a thing
being detached and deleted at once): 1. detach every policy from every certificate and every
certificate from its thing; 2. set each certificate INACTIVE, delete it, delete the thing;
3. remove a thing's local record only once it is gone remotely. Anything already gone is not an
error, so a rerun after a failure, a crash or Ctrl-C finishes the job. Things of an unfinished
add-things run are included, and so are certificates whose key that run lost.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from zaws.aws.settings import AwsSettings
from zaws.errors import OperationCancelled, ZawsError
from zaws.operations.progress import Cancellation, ProgressCallback, ProgressReport, no_progress
from zaws.project import layout
from zaws.project.add_things_journal import AddThingsJournal
from zaws.project.lock import project_lock
from zaws.project.thing_project import ThingProject

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient


@dataclass
class CleanupTarget:
    thing_name: str
    cert_arns: list[str]
    recorded: bool  # has a local record (False: from an unfinished add-things run)


@dataclass
class CleanupPlan:
    project: str
    targets: list[CleanupTarget]
    local_paths: list[str]
    unfinished_add_things_since: float | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class CleanupDone:
    project: str
    things_deleted: list[str] = field(default_factory=list)
    certificates_deleted: int = 0
    orphan_certificates_deleted: int = 0
    local_paths_removed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def plan_cleanup(project: Path) -> CleanupPlan:
    """What cleanup would delete, read from the project alone (no AWS call)."""
    proj = ThingProject.open(project)
    targets = [
        CleanupTarget(t.name, [t.cert_arn] if t.cert_arn else [], True) for t in proj.things()
    ]
    journal = AddThingsJournal(proj.state_dir)
    plan = journal.pending_plan()
    if plan is not None:
        recorded = {t.thing_name for t in targets}
        states = journal.progress()
        for name in plan.names:
            state = states.get(name)
            if name not in recorded and state is not None:
                targets.append(
                    CleanupTarget(name, [state.cert_arn] if state.cert_arn else [], False)
                )
    candidates = [
        proj.resources_dir,
        proj.zawsconf_path,
        proj.root / layout.PRIVATE_KEY,
        proj.root / layout.CERTIFICATE,
        proj.state_dir,
    ]
    return CleanupPlan(
        project=str(proj.root),
        targets=targets,
        local_paths=[str(p) for p in candidates if p.exists()],
        unfinished_add_things_since=plan.started if plan else None,
    )


def cleanup(
    project: Path,
    *,
    aws: AwsSettings,
    progress: ProgressCallback | None = None,
    cancel: Cancellation | None = None,
) -> CleanupDone:
    from zaws.aws.clients import AwsClients
    from zaws.operations.orphan_certificates import delete_orphan_certificates
    from zaws.operations.remote_deletion import delete_thing_and_certificates, detach_all

    report = progress or no_progress
    cancel = cancel or Cancellation()
    proj = ThingProject.open(project)
    with project_lock(proj.state_dir, "iot-cleanup"):
        plan = plan_cleanup(project)
        clients = AwsClients(aws)
        iot = clients.iot
        done = CleanupDone(project=str(proj.root))
        total = 2 * len(plan.targets)
        counter = _Counter(report, total)

        def phase(action: Callable[[IoTClient, CleanupTarget], None], verb: str) -> list[str]:
            failures: list[ZawsError] = []

            def run(target: CleanupTarget) -> str | None:
                if cancel.is_cancelled or failures:
                    return None
                try:
                    action(iot, target)
                except ZawsError as err:
                    failures.append(err)
                    return None
                counter.step(f"{verb} {target.thing_name}")
                return target.thing_name

            with ThreadPoolExecutor(max_workers=clients.workers) as pool:
                finished = [name for name in pool.map(run, plan.targets) if name]
            if failures:
                first = failures[0]
                raise type(first)(
                    f"Cleanup stopped: {first.message}",
                    "the records of what still exists are kept; run iot-cleanup again to finish",
                )
            return finished

        report(ProgressReport(0, total, f"cleaning up {len(plan.targets)} things"))
        detached = set(phase(detach_all, "detached"))
        if len(detached) == len(plan.targets):
            deleted = phase(delete_thing_and_certificates, "deleted")
            for name in deleted:
                proj.remove_thing_record(name)
            done.things_deleted = deleted
            gone = set(deleted)
            done.certificates_deleted = sum(
                len(t.cert_arns) for t in plan.targets if t.thing_name in gone
            )
        if cancel.is_cancelled or len(done.things_deleted) < len(plan.targets):
            left = len(plan.targets) - len(done.things_deleted)
            raise OperationCancelled(
                f"Cleanup stopped with {left} of {len(plan.targets)} things left",
                "their local records are kept; run iot-cleanup again to finish",
            )
        if plan.unfinished_add_things_since is not None:
            done.orphan_certificates_deleted = len(
                delete_orphan_certificates(
                    iot, since_epoch=plan.unfinished_add_things_since, known_ids=()
                )
            )
        done.local_paths_removed = _remove_local_state(proj)
    return done


def _remove_local_state(proj: ThingProject) -> list[str]:
    removed = []
    for folder in (proj.resources_dir, AddThingsJournal(proj.state_dir).folder):
        if folder.exists():
            shutil.rmtree(folder)
            removed.append(str(folder))
    if proj.zawsconf_path.exists():
        proj.zawsconf_path.unlink()
        removed.append(str(proj.zawsconf_path))
    for name in (layout.PRIVATE_KEY, layout.CERTIFICATE):
        if (proj.root / name).exists():
            removed.append(str(proj.root / name))
    proj.forget_active_thing()
    return removed


class _Counter:
    def __init__(self, report: ProgressCallback, total: int) -> None:
        self._report = report
        self._total = total
        self._done = 0
        self._lock = threading.Lock()

    def step(self, message: str) -> None:
        with self._lock:
            self._done += 1
            done = self._done
        self._report(ProgressReport(done, self._total, message))
