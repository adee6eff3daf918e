"""`rotate-certificate`: a new key and certificate for some things, the old ones retired after.

A key may have leaked, or a certificate is about to expire: the thing needs a new certificate and
the project's files must follow, and a device being reflashed must never be left without a valid
certificate. Steps per thing, each journaled before its remote call (`rotation_journal.py`): make
a key and certificate (the key on disk first, `certificate_issuing.py`), activate it, attach the
project's policy, attach it to the thing; then swap the thing's folder atomically (the old key and
certificate stay beside the new ones as `*.previous`) and update the top-level copies if the thing
is active; only then, unless `--keep-old`, retire the old certificate (detach, deactivate, delete)
and drop the `*.previous` files. After a kill at any step the same command finishes the job; no
certificate is in AWS without its key on disk at any moment.
"""

from __future__ import annotations

import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from zaws.aws.errors import translate
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, OperationCancelled, ProjectError, ZawsError
from zaws.operations import remote_deletion
from zaws.operations.certificate_issuing import (
    certificate_issuer,
    check_key_source,
    discard_credentials,
)
from zaws.operations.orphan_certificates import (
    count_orphan_candidates,
    delete_provable_orphans,
    record_uncertain_requests,
)
from zaws.operations.progress import Cancellation, ProgressCallback, ProgressReport, no_progress
from zaws.project import layout
from zaws.project.lock import project_lock
from zaws.project.rotation_journal import RotationJournal, RotationPlan
from zaws.project.step_journal import ThingProgress
from zaws.project.thing_project import ThingProject, ThingRecord

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient


@dataclass
class RotatedThing:
    thing_name: str
    new_cert_arn: str
    old_cert_arn: str
    old_retired: bool


@dataclass
class CertificatesRotated:
    project: str
    rotated: list[RotatedThing] = field(default_factory=list)
    resumed: bool = False
    certificates_to_review: int = 0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def rotate_certificates(
    project: Path,
    names: list[str],
    *,
    aws: AwsSettings,
    retire_old: bool = True,
    keys: str = "aws",
    key_type: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: Cancellation | None = None,
) -> CertificatesRotated:
    from zaws.aws.clients import AwsClients

    report = progress or no_progress
    cancel = cancel or Cancellation()
    proj = ThingProject.open(project)
    with project_lock(proj.state_dir, "rotate-certificate"):
        journal = RotationJournal(proj.state_dir)
        plan = journal.pending_plan()
        resumed = plan is not None
        if plan is None:
            check_key_source(keys, key_type)
            plan = _new_plan(proj, names, retire_old, keys, key_type)
            journal.begin(plan)
        elif names and list(dict.fromkeys(names)) != plan.names:
            raise ProjectError(
                f"An interrupted rotate-certificate of {', '.join(plan.names)} has not finished",
                f"finish it first: zaws rotate-certificate {proj.root} {' '.join(plan.names)}",
            )
        clients = AwsClients(aws)
        rotation = _Rotation(proj, journal, plan, clients.iot)
        states = journal.progress()
        done: list[RotatedThing] = []
        failures: list[ZawsError] = []

        def work(name: str) -> RotatedThing | None:
            if cancel.is_cancelled or failures:
                return None
            try:
                return rotation.rotate(name, states.get(name) or ThingProgress())
            except ZawsError as err:
                failures.append(err)
                return None

        report(ProgressReport(0, len(plan.names), f"rotating {len(plan.names)} certificates"))
        try:
            with ThreadPoolExecutor(max_workers=clients.workers) as pool:
                for finished in pool.map(work, plan.names):
                    if finished is not None:
                        done.append(finished)
                        report(ProgressReport(len(done), len(plan.names), finished.thing_name))
        finally:
            journal.close()
            record_uncertain_requests(proj.state_dir, journal.progress())
        if failures:
            first = failures[0]
            raise type(first)(
                f"{len(plan.names) - len(done)} of {len(plan.names)} certificates were not "
                f"rotated: {first.message}",
                f"{first.hint + '; ' if first.hint else ''}run the same command again to finish",
            )
        if len(done) < len(plan.names):
            raise OperationCancelled(
                f"Stopped after {len(done)} of {len(plan.names)} certificates",
                "run the same command again to finish",
            )
        journal.finish()
        delete_provable_orphans(clients.iot, proj, local=aws.local)
        review = count_orphan_candidates(clients.iot, proj, local=aws.local)
    return CertificatesRotated(str(proj.root), done, resumed, len(review))


def _new_plan(
    proj: ThingProject, names: list[str], retire_old: bool, keys: str, key_type: str | None
) -> RotationPlan:
    if not names:
        raise InvalidInput("Name at least one thing to rotate", "pass the things' names")
    wanted = list(dict.fromkeys(names))
    records = [proj.thing(name) for name in wanted]
    on_device = [r.name for r in records if r.key_on_device]
    if on_device:
        raise InvalidInput(
            f"The private key of {', '.join(on_device)} lives on its device: a key made here "
            "would replace it, and the device could not connect",
            "take a new CSR from the device and add it as a thing (add-things --csr-dir), "
            "then remove the old thing",
        )
    unretired = [r.name for r in records if r.previous_cert_arn]
    if unretired:
        raise ProjectError(
            f"The old certificate of an earlier rotation is still in use by {', '.join(unretired)}",
            f"retire it first: zaws retire-old-certificate {proj.root} {' '.join(unretired)}",
        )
    return RotationPlan(
        names=wanted,
        old_cert_arns={r.name: r.cert_arn for r in records},
        policy_name=proj.policy_name,
        retire_old=retire_old,
        started=time.time(),
        keys=keys,
        key_type=key_type,
    )


class _Rotation:
    def __init__(
        self, proj: ThingProject, journal: RotationJournal, plan: RotationPlan, iot: IoTClient
    ) -> None:
        self.proj = proj
        self.journal = journal
        self.plan = plan
        self.iot = iot
        self.certificates = certificate_issuer(iot, journal, plan.keys, plan.key_type)

    def rotate(self, name: str, state: ThingProgress) -> RotatedThing:
        try:
            return self._rotate(name, state)
        except (BotoCoreError, ClientError) as err:
            raise translate(err, f"rotating the certificate of {name}") from None

    def _rotate(self, name: str, state: ThingProgress) -> RotatedThing:
        old = self.plan.old_cert_arns[name]
        self._finish_interrupted_swap(name)
        record = self.proj.thing(name)
        if state.done:
            return RotatedThing(name, record.cert_arn, old, self.plan.retire_old)
        if record.cert_arn == old:  # not swapped yet: make (or find) the new certificate
            staging = self.journal.staging(name)
            new = state.cert_arn or self.certificates.recover(name, staging)
            if new is not None and not self.certificates.exists(new):
                discard_credentials(staging)
                new = None
            if new is None:
                new = self.certificates.create(name, staging)
            self.journal.record(name, "activate-cert")
            self.iot.update_certificate(certificateId=new.rsplit("/", 1)[-1], newStatus="ACTIVE")
            self.journal.record(name, "policy")
            self.iot.attach_policy(policyName=self.plan.policy_name, target=new)
            self.journal.record(name, "principal")
            self.iot.attach_thing_principal(thingName=name, principal=new)
            self.journal.record(name, "swap")
            record = self.proj.replace_credentials(record, new, staging)
        if self.proj.active_thing_name == name:
            self.proj.activate(record)  # the top-level copies follow
        if self.plan.retire_old:
            self.journal.record(name, "retire")
            record = retire_previous(self.iot, self.proj, record)
        self.journal.record(name, "done")
        return RotatedThing(name, record.cert_arn, old, self.plan.retire_old)

    def _finish_interrupted_swap(self, name: str) -> None:
        """A kill between the two renames of the swap left the new folder staged, the old one
        aside (`.<thing>.old`), and no record in place: put the new one in place. A kill after
        them left the old folder aside: remove it (its key is the new folder's `*.previous`)."""
        folder = self.proj.resources_dir / name
        staged = _staged_record(self.journal, name)
        if not folder.exists() and staged.is_file():
            os.replace(staged.parent, folder)
        if folder.exists():
            shutil.rmtree(folder.with_name(f".{name}.old"), ignore_errors=True)


def _staged_record(journal: RotationJournal, name: str) -> Path:
    return journal.folder / "staging" / name / layout.THING_CONF


def retire_previous(iot: IoTClient, proj: ThingProject, record: ThingRecord) -> ThingRecord:
    """Detach, deactivate and delete the certificate a rotation replaced; then its files go."""
    if record.previous_cert_arn is None:
        return record
    target = remote_deletion.CleanupTarget(record.name, [record.previous_cert_arn], True, "keep")
    remote_deletion.detach(iot, target)
    remote_deletion.delete(iot, target)
    return proj.forget_previous_certificate(record)


def retire_old_certificates(project: Path, names: list[str], *, aws: AwsSettings) -> list[str]:
    """`retire-old-certificate`: finish rotations made with `--keep-old`; the things retired."""
    from zaws.aws.clients import AwsClients

    proj = ThingProject.open(project)
    with project_lock(proj.state_dir, "retire-old-certificate"):
        records = [proj.thing(name) for name in dict.fromkeys(names)]
        missing = [r.name for r in records if r.previous_cert_arn is None]
        if missing:
            raise InvalidInput(
                f"{', '.join(missing)} hold no old certificate of a rotation",
                "list-things shows the things' certificates",
            )
        iot = AwsClients(aws).iot
        for record in records:
            retire_previous(iot, proj, record)
    return [r.name for r in records]
