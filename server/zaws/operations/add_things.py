"""`add-things`: create N things with keys and certificates, many at once, crash-safe.

Steps: check the request (names AWS accepts, the project's policy exists) before creating
anything; journal the plan; provision the things on a pool of workers (each step journaled, rate
limited per API against real AWS); delete certificates whose key may have been lost; record the new
base name and highest index in `.zawsconf`; make the first thing active if none is. An interrupted
run (crash, Ctrl-C, a failure after the retries) leaves the journal: the same command finishes it.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from botocore.exceptions import ClientError

from zaws.aws.clients import AwsClients
from zaws.aws.errors import aws_errors, is_not_found
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound, OperationCancelled, ProjectError, ZawsError
from zaws.operations.orphan_certificates import delete_orphan_certificates
from zaws.operations.progress import Cancellation, ProgressCallback, ProgressReport, no_progress
from zaws.operations.thing_provisioning import ThingProvisioner
from zaws.project.add_things_journal import AddThingsJournal, AddThingsPlan, ThingProgress
from zaws.project.config_files import ZawsConf
from zaws.project.lock import project_lock
from zaws.project.thing_names import check_base_name
from zaws.project.thing_project import ThingProject

MAX_THINGS_PER_RUN = 100_000


@dataclass(frozen=True)
class ThingsAdded:
    project: str
    things: list[str]
    active_thing: str | None
    resumed: bool
    orphan_certificates_deleted: int
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def add_things(
    project: Path,
    *,
    aws: AwsSettings,
    base_name: str | None = None,
    count: int = 1,
    progress: ProgressCallback | None = None,
    cancel: Cancellation | None = None,
) -> ThingsAdded:
    started = time.monotonic()
    report = progress or no_progress
    cancel = cancel or Cancellation()
    if not 1 <= count <= MAX_THINGS_PER_RUN:
        raise InvalidInput(
            f"--things-number must be between 1 and {MAX_THINGS_PER_RUN}, not {count}",
            "pass a positive number",
        )
    proj = ThingProject.open(project)
    with project_lock(proj.state_dir, "add-things"):
        journal = AddThingsJournal(proj.state_dir)
        plan = journal.pending_plan()
        resumed = plan is not None
        if plan is not None:
            _check_resume_matches(proj, plan, base_name, count)
            clients = AwsClients(aws)
        else:
            plan, clients = _new_plan(proj, aws, base_name, count)
            journal.begin(plan)
        try:
            orphans = _run(proj, journal, plan, clients, report, cancel, resumed=resumed)
        finally:
            journal.close()
        _record_batch(proj, plan)
        journal.finish()
    return ThingsAdded(
        project=str(proj.root),
        things=plan.names,
        active_thing=proj.active_thing_name,
        resumed=resumed,
        orphan_certificates_deleted=orphans,
        seconds=round(time.monotonic() - started, 3),
    )


def _new_plan(
    proj: ThingProject, aws: AwsSettings, base_name: str | None, count: int
) -> tuple[AddThingsPlan, AwsClients]:
    conf = proj.zawsconf()
    base = base_name or (conf.thing_base_name if conf else None)
    if not base:
        raise InvalidInput(
            "The project has no things yet, so the things need a base name",
            "pass --thing-base-name NAME",
        )
    first = proj.highest_index(base) + 1
    check_base_name(base, first + count - 1)
    policy = proj.policy_name
    clients = AwsClients(aws)
    with aws_errors(f"checking policy {policy}"):
        try:
            clients.iot.get_policy(policyName=policy)
        except ClientError as err:
            if is_not_found(err):
                raise NotFound(
                    f"The policy {policy!r} named in thing.conf.json does not exist in "
                    f"{aws.describe()}",
                    f"create it with `zaws create-policy {policy}`, or fix policy_name",
                ) from None
            raise
    return AddThingsPlan(base, first, count, policy, time.time()), clients


def _check_resume_matches(
    proj: ThingProject, plan: AddThingsPlan, base_name: str | None, count: int
) -> None:
    if (base_name in (None, plan.base_name)) and count == plan.count:
        return
    last = plan.first_index + plan.count - 1
    raise ProjectError(
        f"An interrupted add-things of {plan.count} things "
        f"({plan.base_name}_{plan.first_index} to {plan.base_name}_{last}) has not finished",
        f"finish it first: zaws add-things {proj.root} --thing-base-name {plan.base_name} "
        f"--things-number {plan.count}",
    )


def _run(
    proj: ThingProject,
    journal: AddThingsJournal,
    plan: AddThingsPlan,
    clients: AwsClients,
    report: ProgressCallback,
    cancel: Cancellation,
    *,
    resumed: bool,
) -> int:
    states = journal.progress()
    provisioner = ThingProvisioner(clients, proj, journal, plan.policy_name)
    # A resumed run always looks for orphans: the log may have lost its last lines to a power cut.
    lost_keys = resumed
    todo = [name for name in plan.names if not (name in states and states[name].done)]
    done = plan.count - len(todo)
    report(ProgressReport(done, plan.count, f"creating {len(todo)} things"))

    failures: list[ZawsError] = []

    def work(name: str) -> str | None:
        if cancel.is_cancelled or failures:
            return None
        try:
            provisioner.provision(name, states.get(name) or ThingProgress())
        except ZawsError as err:
            failures.append(err)
            return None
        return name

    with ThreadPoolExecutor(max_workers=clients.workers, thread_name_prefix="add-things") as pool:
        for finished in pool.map(work, todo):
            if finished is not None:
                done += 1
                report(ProgressReport(done, plan.count, f"created {finished}"))

    orphans = 0
    if lost_keys or provisioner.uncertain_certificate_calls:
        known = {t.cert_id for t in proj.things()}
        known |= {s.cert_arn.rsplit("/", 1)[-1] for s in journal.progress().values() if s.cert_arn}
        orphans = len(
            delete_orphan_certificates(clients.iot, since_epoch=plan.started, known_ids=known)
        )
    if failures:
        first = failures[0]
        raise type(first)(
            f"{plan.count - done} of {plan.count} things were not created: {first.message}",
            f"{first.hint + '; ' if first.hint else ''}run the same command again to finish",
        )
    if done < plan.count:
        raise OperationCancelled(
            f"Stopped after {done} of {plan.count} things",
            f"run the same command again to create the remaining {plan.count - done}",
        )
    return orphans


def _record_batch(proj: ThingProject, plan: AddThingsPlan) -> None:
    """Point .zawsconf at the batch's base name and make the first thing active if none is."""
    conf = proj.zawsconf() or ZawsConf(thing_base_name=plan.base_name)
    last = plan.first_index + plan.count - 1
    if conf.thing_base_name != plan.base_name:
        conf = ZawsConf(plan.base_name, last, conf.active_thing_id)
    conf.last_thing_id = max(conf.last_thing_id, last)
    proj.write_zawsconf(conf)
    if proj.active_thing_name is None:
        proj.activate(proj.thing(plan.names[0]))
