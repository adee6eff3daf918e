"""`remove-thing`: retire some things of a project (a board lost, retired or replaced), the rest
untouched.

Steps: check that every name is a thing of the project, before any change; survey each thing as
cleanup does (its recorded certificate, the thing's mark, its principals): that is the plan the
dry run prints; detach the project's certificate from the policy and the thing; delete the
certificate; delete the thing if it is the project's and nothing else is attached (else it stays,
and the reason is said); remove its folder; retire its number so add-things never gives it again.
If the active thing was removed, the project has no active thing afterwards (top-level key,
certificate and thing.conf.json fields cleared). A record goes only once its remote part is gone,
so after a failure or Ctrl-C the same command finishes the job.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, OperationCancelled
from zaws.operations import remote_deletion
from zaws.operations.cleanup import KeptThing
from zaws.operations.progress import Cancellation, ProgressCallback, ProgressReport, no_progress
from zaws.operations.remote_deletion import CleanupTarget, Deleted, SurveyedTargets
from zaws.operations.target_phases import StepCounter, run_phase
from zaws.project.lock import project_lock
from zaws.project.retired_numbers import RetiredNumbers
from zaws.project.thing_project import ThingProject

if TYPE_CHECKING:
    from zaws.aws.clients import AwsClients


@dataclass
class RemovalPlan(SurveyedTargets):
    project: str
    targets: list[CleanupTarget]
    active_thing_removed: bool

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class ThingsRemoved:
    project: str
    removed: list[str] = field(default_factory=list)  # records removed from the project
    things_deleted: list[str] = field(default_factory=list)
    certificates_deleted: int = 0
    things_kept: list[KeptThing] = field(default_factory=list)
    active_thing_cleared: bool = False

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def plan_remove_things(project: Path, names: list[str], *, aws: AwsSettings) -> RemovalPlan:
    """What remove-thing will delete and keep (reads AWS, changes nothing)."""
    from zaws.aws.clients import AwsClients

    proj = ThingProject.open(project)
    return _survey(proj, names, AwsClients(aws))


def remove_things(
    project: Path,
    names: list[str],
    *,
    aws: AwsSettings,
    progress: ProgressCallback | None = None,
    cancel: Cancellation | None = None,
) -> ThingsRemoved:
    from zaws.aws.clients import AwsClients

    report = progress or no_progress
    cancel = cancel or Cancellation()
    proj = ThingProject.open(project)
    with project_lock(proj.state_dir, "remove-thing"):
        clients = AwsClients(aws)
        plan = _survey(proj, names, clients)
        iot = clients.iot
        total = 2 * len(plan.targets)
        phase = partial(
            run_phase,
            plan.targets,
            workers=clients.workers,
            counter=StepCounter(report, total),
            cancel=cancel,
            rerun="run remove-thing",
        )
        report(ProgressReport(0, total, f"removing {len(plan.targets)} things"))
        done = ThingsRemoved(project=str(proj.root))
        detached = phase(lambda t: remote_deletion.detach(iot, t), verb="detached")
        finished: list[tuple[str, Deleted]] = []
        if len(detached) == len(plan.targets):
            finished = phase(lambda t: remote_deletion.delete(iot, t), verb="removed")
        gone = [name for name, _ in finished]
        RetiredNumbers(proj.state_dir).retire(gone)  # before the records: a crash never reuses
        if plan.active_thing_removed and proj.active_thing_name in gone:
            proj.forget_active_thing()
            done.active_thing_cleared = True
        for name, outcome in finished:
            proj.remove_thing_record(name)
            done.removed.append(name)
            done.certificates_deleted += outcome.certificates
            if outcome.thing:
                done.things_deleted.append(name)
            if outcome.kept_reason:
                done.things_kept.append(KeptThing(name, outcome.kept_reason))
        if len(finished) < len(plan.targets):
            left = len(plan.targets) - len(finished)
            raise OperationCancelled(
                f"Stopped with {left} of {len(plan.targets)} things still to remove",
                "their records are kept; run the same remove-thing again to finish",
            )
    return done


def _survey(proj: ThingProject, names: list[str], clients: AwsClients) -> RemovalPlan:
    if not names:
        raise InvalidInput("Name at least one thing to remove", "pass the things' names")
    wanted = list(dict.fromkeys(names))  # each once, in the order given
    records = [proj.thing(name) for name in wanted]  # refuses a name that is not a thing here
    targets = [CleanupTarget(r.name, list(r.cert_arns), True) for r in records]
    conf = proj.zawsconf()
    iot = clients.iot
    remote_deletion.survey_all(
        iot, targets, conf.project_id if conf else None, workers=clients.workers
    )
    return RemovalPlan(
        project=str(proj.root),
        targets=targets,
        active_thing_removed=proj.active_thing_name in wanted,
    )
