"""`add-things`: create N things with keys and certificates, many at once, crash-safe.

Steps: check the request (names AWS accepts, the project's folders writable, the project's policy
exists) and refuse names whose things exist in AWS and are not this project's, all before creating
anything; journal the plan; provision the things on a pool of workers (each step journaled, rate
limited per API against real AWS), each thing marked as the project's; keep on record the
certificate requests whose answer was lost (`orphan-certificates` reviews them); record the new
base name and highest index in `.zawsconf`; make the first thing active if none is. An interrupted
run (crash, Ctrl-C, a failure after the retries) leaves the journal: the same command finishes it.
Keys are made by AWS, here (`--keys local`) or on the devices (`--csr-dir`, device_csrs.py); with
`--bulk` one registration task makes them all (bulk_registration.py) instead of calls per thing.
"""

from __future__ import annotations

import os
import shlex
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from botocore.exceptions import ClientError

from zaws.aws.clients import AwsClients
from zaws.aws.errors import aws_errors, is_not_found
from zaws.aws.settings import AwsSettings
from zaws.errors import (
    InvalidInput,
    LocalFileError,
    NotFound,
    OperationCancelled,
    ProjectError,
    ZawsError,
    local_file_error,
)
from zaws.operations.bulk_registration import run_bulk_registration
from zaws.operations.certificate_issuing import check_key_source
from zaws.operations.device_csrs import DeviceCsr, read_csr_dir, refuse_used_csrs
from zaws.operations.orphan_certificates import (
    count_orphan_candidates,
    delete_provable_orphans,
    record_uncertain_requests,
)
from zaws.operations.progress import Cancellation, ProgressCallback, ProgressReport, no_progress
from zaws.operations.thing_ownership import project_id_of, refuse_taken_names
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
    certificates_to_review: int  # may have lost their key: see `zaws orphan-certificates`
    seconds: float
    # Made for a key of this run whose answer was lost (--keys local): deleted, provably ours.
    orphan_certificates_deleted: int = 0
    # --csr-dir: [{"thing", "csr_file"}] in the things' order; their keys live on the devices.
    csr_files: list[dict[str, str]] = field(default_factory=list)
    # --bulk: the registration task, its input file's bucket, and whether zaws made the bucket.
    bulk_task_id: str | None = None
    bucket: str | None = None
    bucket_created: bool = False

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def add_things(
    project: Path,
    *,
    aws: AwsSettings,
    base_name: str | None = None,
    count: int | None = None,
    keys: str | None = None,
    key_type: str | None = None,
    csr_dir: Path | None = None,
    bulk: bool = False,
    bucket: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: Cancellation | None = None,
) -> ThingsAdded:
    """`count` things (1 by default; with `csr_dir`, one per CSR file), their keys made by AWS
    (`keys="aws"`, the default), here (`"local"`) or on the devices (`csr_dir`); with `bulk`,
    through one StartThingRegistrationTask whose input file goes to `bucket`."""
    started = time.monotonic()
    report = progress or no_progress
    cancel = cancel or Cancellation()
    if count is not None and not 1 <= count <= MAX_THINGS_PER_RUN:
        raise InvalidInput(
            f"--things-number must be between 1 and {MAX_THINGS_PER_RUN}, not {count}",
            "pass a positive number",
        )
    source = KeySource(_key_source(keys, csr_dir, bulk), key_type, csr_dir, bulk, bucket)
    proj = ThingProject.open(project)
    check_local_folders(proj)
    try:
        with project_lock(proj.state_dir, "add-things"):
            return _add_things(proj, aws, base_name, count, source, report, cancel, started)
    except OSError as err:
        pending = AddThingsJournal(proj.state_dir).plan_path.is_file()
        hint = "fix that, then run the same command again to finish" if pending else None
        raise local_file_error(err, hint) from None


def _add_things(
    proj: ThingProject,
    aws: AwsSettings,
    base_name: str | None,
    count: int | None,
    keys: KeySource,
    report: ProgressCallback,
    cancel: Cancellation,
    started: float,
) -> ThingsAdded:
    journal = AddThingsJournal(proj.state_dir)
    plan = journal.pending_plan()
    resumed = plan is not None
    clients = AwsClients(aws)
    if plan is not None:
        _check_resume_matches(proj, plan, base_name, count, keys)
    else:
        plan = _new_plan(proj, clients, aws, base_name, count, keys)
    if plan.project_id is not None:  # a journal of old has unmarked things: nothing to compare
        states = journal.progress()
        todo = [name for name in plan.names if not (name in states and states[name].done)]
        with aws_errors("looking up the things to create"):
            refuse_taken_names(
                clients.iot,
                todo,
                plan.project_id,
                workers=clients.workers,
                base_name=plan.base_name,
            )
    if not resumed:
        journal.begin(plan)
    bulk_run = None
    try:
        if plan.bulk:
            bulk_run = run_bulk_registration(proj, journal, plan, clients, report, cancel)
        else:
            _run(proj, journal, plan, clients, report, cancel)
    finally:
        journal.close()
        record_uncertain_requests(proj.state_dir, journal.progress())
    _record_batch(proj, plan)
    journal.finish()
    provable = delete_provable_orphans(clients.iot, proj, local=aws.local)
    to_review = count_orphan_candidates(clients.iot, proj, local=aws.local)
    return ThingsAdded(
        project=str(proj.root),
        things=plan.names,
        active_thing=proj.active_thing_name,
        resumed=resumed,
        certificates_to_review=len(to_review),
        seconds=round(time.monotonic() - started, 3),
        orphan_certificates_deleted=len(provable),
        csr_files=[{"thing": name, "csr_file": c.file} for name, c in plan.csr_requests().items()],
        bulk_task_id=bulk_run.task_id if bulk_run else None,
        bucket=bulk_run.bucket if bulk_run else None,
        bucket_created=bulk_run.bucket_created if bulk_run else False,
    )


def check_local_folders(proj: ThingProject) -> None:
    """Before any remote call: the folders add-things writes are folders, and writable."""
    for folder in (proj.root, proj.resources_dir, proj.state_dir):
        if folder.exists() and not folder.is_dir():
            raise LocalFileError(
                f"{folder} is not a folder",
                f"move that file away: zaws keeps the project's {folder.name} there",
            )
        try:
            folder.mkdir(exist_ok=True)
            probe = folder / f".zaws-probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as err:
            raise local_file_error(err) from None


@dataclass(frozen=True)
class KeySource:
    """Where the things' keys are made: by AWS (the default, as the original), here, or on the
    devices (`csr_dir`); and whether they are registered in bulk."""

    keys: str = "aws"
    key_type: str | None = None
    csr_dir: Path | None = None
    bulk: bool = False
    bucket: str | None = None

    def __post_init__(self) -> None:
        check_key_source(self.keys, self.key_type)
        if self.bulk and self.keys == "aws":
            raise InvalidInput(
                "--bulk registers certificates from CSRs: AWS cannot make the keys then",
                "pass --keys local (keys made here) or --csr-dir DIR (the devices' CSRs)",
            )
        if self.bucket is not None and not self.bulk:
            raise InvalidInput(
                "--bucket goes with --bulk only", "pass --bulk, or leave out --bucket"
            )


def _key_source(keys: str | None, csr_dir: Path | None, bulk: bool) -> str:
    if csr_dir is None:
        return keys or ("local" if bulk else "aws")
    if keys not in (None, "csr"):
        raise InvalidInput(
            f"--csr-dir and --keys {keys} do not go together: with --csr-dir the devices made "
            "the keys",
            "leave out --keys",
        )
    return "csr"


def _new_plan(
    proj: ThingProject,
    clients: AwsClients,
    aws: AwsSettings,
    base_name: str | None,
    count: int | None,
    keys: KeySource,
) -> AddThingsPlan:
    conf = proj.zawsconf()
    base = base_name or (conf.thing_base_name if conf else None)
    if not base:
        raise InvalidInput(
            "The project has no things yet, so the things need a base name",
            "pass --thing-base-name NAME",
        )
    csrs: list[DeviceCsr] = []
    if keys.csr_dir is not None:
        csrs = read_csr_dir(keys.csr_dir)
        if count is not None and count != len(csrs):
            raise InvalidInput(
                f"--things-number {count} disagrees with the {len(csrs)} CSR files in "
                f"{keys.csr_dir}",
                "leave out --things-number: each CSR file makes one thing",
            )
        refuse_used_csrs(proj, csrs)
    number = len(csrs) if csrs else (count or 1)
    first = proj.highest_index(base) + 1
    check_base_name(base, first + number - 1)
    policy = proj.policy_name
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
    project_id = project_id_of(proj, base)
    return AddThingsPlan(
        base,
        first,
        number,
        policy,
        time.time(),
        project_id,
        keys.keys,
        keys.key_type,
        csr_dir=str(keys.csr_dir.resolve()) if keys.csr_dir is not None else None,
        csrs=[{"file": c.file, "pem": c.pem, "fingerprint": c.fingerprint} for c in csrs] or None,
        bulk=keys.bulk,
        bucket=keys.bucket,
    )


def _check_resume_matches(
    proj: ThingProject,
    plan: AddThingsPlan,
    base_name: str | None,
    count: int | None,
    keys: KeySource,
) -> None:
    same_count = count == plan.count or (count is None and (plan.csr_dir or plan.count == 1))
    same_dir = keys.csr_dir is None or str(keys.csr_dir.resolve()) == plan.csr_dir
    if (base_name in (None, plan.base_name)) and same_count and same_dir:
        return
    last = plan.first_index + plan.count - 1
    raise ProjectError(
        f"An interrupted add-things of {plan.count} things "
        f"({plan.base_name}_{plan.first_index} to {plan.base_name}_{last}) has not finished",
        f"finish it first: {resume_command(proj.root, plan)}",
    )


def resume_command(root: Path, plan: AddThingsPlan) -> str:
    """The command that finishes `plan`, ready to paste (absolute path, quoted)."""
    command = (
        f"zaws add-things {shlex.quote(str(root.resolve()))} "
        f"--thing-base-name {shlex.quote(plan.base_name)}"
    )
    if plan.csr_dir is not None:
        command += f" --csr-dir {shlex.quote(plan.csr_dir)}"
    else:
        command += f" --things-number {plan.count}"
        if plan.keys == "local":
            command += " --keys local" + (f" --key-type {plan.key_type}" if plan.key_type else "")
    if plan.bulk:
        command += " --bulk" + (f" --bucket {shlex.quote(plan.bucket)}" if plan.bucket else "")
    return command


def _run(
    proj: ThingProject,
    journal: AddThingsJournal,
    plan: AddThingsPlan,
    clients: AwsClients,
    report: ProgressCallback,
    cancel: Cancellation,
) -> None:
    states = journal.progress()
    provisioner = ThingProvisioner(clients, proj, journal, plan)
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


def _record_batch(proj: ThingProject, plan: AddThingsPlan) -> None:
    """Point .zawsconf at the batch's base name and make the first thing active if none is."""
    conf = proj.zawsconf() or ZawsConf(thing_base_name=plan.base_name)
    last = plan.first_index + plan.count - 1
    if conf.thing_base_name != plan.base_name:
        conf = ZawsConf(plan.base_name, last, conf.active_thing_id, project_id=conf.project_id)
    conf.last_thing_id = max(conf.last_thing_id, last)
    proj.write_zawsconf(conf)
    if proj.active_thing_name is None:
        proj.activate(proj.thing(plan.names[0]))
