"""`iot-cleanup`: delete what the project made in AWS, then its local records.

Steps: survey each thing (its certificates that the project's records name, the thing's mark and
principals) to decide what will be deleted: that is the plan, and `--dry-run` prints the same
plan; then, in phases that are safe to run concurrently (the emulator and AWS both dislike a
thing being detached and deleted at once): 1. detach every policy from the project's certificates
and the certificates from their thing; 2. set each certificate INACTIVE and delete it, delete the
thing if it is the project's and nothing else is attached; 3. remove the local records. A thing
that is not the project's, or that someone else's certificate is attached to, stays in AWS and
the summary says why. Anything already gone is not an error and is not counted, so a rerun after
a failure, a crash or Ctrl-C finishes the job. Things of an unfinished add-things run are
included; certificates whose key that run may have lost are listed for review, never deleted.
"""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from zaws.aws.settings import AwsSettings
from zaws.errors import OperationCancelled
from zaws.operations import remote_deletion
from zaws.operations.progress import Cancellation, ProgressCallback, ProgressReport, no_progress
from zaws.operations.remote_deletion import CleanupTarget, Deleted, SurveyedTargets
from zaws.operations.target_phases import StepCounter, run_phase
from zaws.project import layout
from zaws.project.add_things_journal import AddThingsJournal
from zaws.project.lock import project_lock
from zaws.project.retired_numbers import RetiredNumbers
from zaws.project.thing_project import ThingProject

if TYPE_CHECKING:
    from zaws.aws.clients import AwsClients

__all__ = ["CleanupDone", "CleanupPlan", "CleanupTarget", "cleanup", "plan_cleanup"]


@dataclass
class CleanupPlan(SurveyedTargets):
    project: str
    targets: list[CleanupTarget]
    local_paths: list[str]
    unfinished_add_things_since: float | None = None
    certificates_to_review: list[str] = field(default_factory=list)  # never deleted by cleanup

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class KeptThing:
    thing_name: str
    reason: str


@dataclass
class CleanupDone:
    project: str
    things_deleted: list[str] = field(default_factory=list)
    certificates_deleted: int = 0
    things_kept: list[KeptThing] = field(default_factory=list)
    certificates_to_review: int = 0  # may have lost their key: `zaws orphan-certificates`
    local_paths_removed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def plan_cleanup(project: Path, *, aws: AwsSettings, workers: int | None = None) -> CleanupPlan:
    """What cleanup will delete and keep, read from the project and from AWS (no change)."""
    from zaws.aws.clients import AwsClients

    proj = ThingProject.open(project)
    return _survey(proj, AwsClients(aws), local=aws.local)


def cleanup(
    project: Path,
    *,
    aws: AwsSettings,
    progress: ProgressCallback | None = None,
    cancel: Cancellation | None = None,
) -> CleanupDone:
    from zaws.aws.clients import AwsClients

    report = progress or no_progress
    cancel = cancel or Cancellation()
    proj = ThingProject.open(project)
    with project_lock(proj.state_dir, "iot-cleanup"):
        clients = AwsClients(aws)
        plan = _survey(proj, clients, local=aws.local)
        iot = clients.iot
        done = CleanupDone(project=str(proj.root))
        done.certificates_to_review = len(plan.certificates_to_review)
        total = 2 * len(plan.targets)
        counter = StepCounter(report, total)
        phase = partial(
            run_phase,
            plan.targets,
            workers=clients.workers,
            counter=counter,
            cancel=cancel,
            rerun="run iot-cleanup",
        )
        report(ProgressReport(0, total, f"cleaning up {len(plan.targets)} things"))
        detached = phase(lambda t: remote_deletion.detach(iot, t), verb="detached")
        finished: list[tuple[str, Deleted]] = []
        if len(detached) == len(plan.targets):
            finished = phase(lambda t: remote_deletion.delete(iot, t), verb="deleted")
            for name, outcome in finished:
                proj.remove_thing_record(name)
                done.certificates_deleted += outcome.certificates
                if outcome.thing:
                    done.things_deleted.append(name)
                if outcome.kept_reason:
                    done.things_kept.append(KeptThing(name, outcome.kept_reason))
        if cancel.is_cancelled or len(finished) < len(plan.targets):
            left = len(plan.targets) - len(finished)
            raise OperationCancelled(
                f"Cleanup stopped with {left} of {len(plan.targets)} things left",
                "their local records are kept; run iot-cleanup again to finish",
            )
        done.local_paths_removed = _remove_local_state(proj)
    return done


def _survey(proj: ThingProject, clients: AwsClients, *, local: bool) -> CleanupPlan:
    from zaws.operations.orphan_certificates import (
        count_orphan_candidates,
        record_uncertain_requests,
    )

    targets = [CleanupTarget(t.name, list(t.cert_arns), True) for t in proj.things()]
    journal = AddThingsJournal(proj.state_dir)
    pending = journal.pending_plan()
    if pending is not None:
        recorded = {t.thing_name for t in targets}
        states = journal.progress()
        for name in pending.names:
            state = states.get(name)
            if name not in recorded and state is not None:
                targets.append(
                    CleanupTarget(name, [state.cert_arn] if state.cert_arn else [], False)
                )
        record_uncertain_requests(proj.state_dir, states)  # before cleanup removes the journal
    conf = proj.zawsconf()
    iot = clients.iot
    remote_deletion.survey_all(
        iot, targets, conf.project_id if conf else None, workers=clients.workers
    )
    candidates = [
        path
        for path in (
            proj.resources_dir,
            proj.zawsconf_path,
            proj.root / layout.PRIVATE_KEY,
            proj.root / layout.CERTIFICATE,
            journal.folder,
        )
        if path.exists()
    ]
    review = count_orphan_candidates(iot, proj, local=local)
    return CleanupPlan(
        project=str(proj.root),
        targets=targets,
        local_paths=[str(p) for p in candidates],
        unfinished_add_things_since=pending.started if pending else None,
        certificates_to_review=[c.certificate_id for c in review],
    )


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
    RetiredNumbers(proj.state_dir).clear()  # no thing left: numbering may start again
    proj.forget_active_thing()
    return removed
