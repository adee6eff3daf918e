"""Provisioning one thing, step by step, each step journaled before its remote call.

Steps: create the thing; create keys and a certificate (INACTIVE); write the key (0600) and the
certificate to the staging folder; activate the certificate; attach the project's policy to it;
attach it to the thing; move the staging folder into `.aws_things_resources/<thing>/`. Every remote
step after the certificate's creation is idempotent, so a resumed thing simply redoes its steps from
the last one the journal shows.
"""

from __future__ import annotations

import threading
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from zaws.aws.clients import AwsClients
from zaws.aws.errors import is_not_found, translate
from zaws.checks.certificates import certificate_id
from zaws.project import layout
from zaws.project.add_things_journal import AddThingsJournal, ThingProgress
from zaws.project.atomic_files import write_private, write_text
from zaws.project.thing_project import ThingProject


class ThingProvisioner:
    """Shared by the worker threads of one add-things run."""

    def __init__(
        self, clients: AwsClients, project: ThingProject, journal: AddThingsJournal, policy: str
    ) -> None:
        self.iot = clients.iot
        self.project = project
        self.journal = journal
        self.policy = policy
        self._lock = threading.Lock()
        self.uncertain_certificate_calls = 0  # retried or failed: an orphan may exist

    def provision(self, name: str, state: ThingProgress) -> None:
        try:
            self._provision(name, state)
        except (BotoCoreError, ClientError) as err:
            raise translate(err, f"creating thing {name}") from None

    def _provision(self, name: str, state: ThingProgress) -> None:
        if (self.project.resources_dir / name / layout.THING_CONF).is_file():
            self.journal.record(name, "done")
            return
        staging = self.journal.staging(name)
        cert_arn = state.cert_arn or self._recover_saved_certificate(name, staging)
        if cert_arn is None:
            self.journal.record(name, "thing")
            self.iot.create_thing(thingName=name)
            cert_arn = self._create_certificate(name, staging)
        self.journal.record(name, "activate-cert")
        self.iot.update_certificate(certificateId=cert_arn.rsplit("/", 1)[-1], newStatus="ACTIVE")
        self.journal.record(name, "policy")
        self.iot.attach_policy(policyName=self.policy, target=cert_arn)
        self.journal.record(name, "principal")
        self.iot.attach_thing_principal(thingName=name, principal=cert_arn)
        self.project.record_thing(name, cert_arn, staging)
        self.journal.record(name, "done")

    def _create_certificate(self, name: str, staging: Path) -> str:
        self.journal.record(name, "cert")
        try:
            made = self.iot.create_keys_and_certificate(setAsActive=False)
        except BaseException:
            self._count_uncertain()
            raise
        if made["ResponseMetadata"].get("RetryAttempts", 0):
            self._count_uncertain()
        # The key exists nowhere else: it is on disk before anything else can fail.
        write_private(staging / layout.PRIVATE_KEY, made["keyPair"]["PrivateKey"])
        write_text(staging / layout.CERTIFICATE, made["certificatePem"])
        self.journal.record(name, "cert-saved", cert_arn=made["certificateArn"])
        return made["certificateArn"]

    def _recover_saved_certificate(self, name: str, staging: Path) -> str | None:
        """A crash after the key and certificate were written but before the journal said so."""
        key, cert = staging / layout.PRIVATE_KEY, staging / layout.CERTIFICATE
        if not (key.is_file() and cert.is_file()):
            return None
        cert_id = certificate_id(cert.read_bytes())
        try:
            arn = self.iot.describe_certificate(certificateId=cert_id)["certificateDescription"][
                "certificateArn"
            ]
        except ClientError as err:
            if is_not_found(err):
                return None
            raise
        self.journal.record(name, "cert-saved", cert_arn=arn)
        return arn

    def _count_uncertain(self) -> None:
        with self._lock:
            self.uncertain_certificate_calls += 1
