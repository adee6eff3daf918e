"""Provisioning one thing, step by step, each step journaled before its remote call.

Steps: create the thing, marked as the project's; create keys and a certificate (INACTIVE); write
the key (0600), or for a key that lives on the device its note (device-key.json), and the
certificate to the staging folder; activate the certificate; attach the
project's policy to it; attach it to the thing; move the staging folder into
`.aws_things_resources/<thing>/`. Every remote step after the certificate's creation is
idempotent, so a resumed thing simply redoes its steps from the last one the journal shows; a
journaled certificate that no longer exists in AWS (deleted by hand meanwhile) counts as not made.
"""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from zaws.aws.clients import AwsClients
from zaws.aws.errors import error_code, translate
from zaws.operations.certificate_issuing import certificate_issuer, discard_credentials
from zaws.operations.thing_ownership import (
    describe_remote_thing,
    names_taken,
    owner_attributes,
)
from zaws.project import layout
from zaws.project.add_things_journal import AddThingsJournal, AddThingsPlan, ThingProgress
from zaws.project.thing_project import ThingProject


class ThingProvisioner:
    """Shared by the worker threads of one add-things run."""

    def __init__(
        self,
        clients: AwsClients,
        project: ThingProject,
        journal: AddThingsJournal,
        plan: AddThingsPlan,
    ) -> None:
        self.iot = clients.iot
        self.project = project
        self.journal = journal
        self.plan = plan
        self.certificates = certificate_issuer(
            clients.iot, journal, plan.keys, plan.key_type, plan.csr_requests()
        )

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
        cert_arn = state.cert_arn or self.certificates.recover(name, staging)
        if cert_arn is not None and not self.certificates.exists(cert_arn):
            discard_credentials(staging)  # deleted in AWS meanwhile
            cert_arn = None
        if cert_arn is None or state.last_step is not None:
            self.journal.record(name, "thing")
            self._create_thing(name)  # idempotent: a resumed thing may have been deleted too
        if cert_arn is None:
            cert_arn = self.certificates.create(name, staging)
        self.journal.record(name, "activate-cert")
        self.iot.update_certificate(certificateId=cert_arn.rsplit("/", 1)[-1], newStatus="ACTIVE")
        self.journal.record(name, "policy")
        self.iot.attach_policy(policyName=self.plan.policy_name, target=cert_arn)
        self.journal.record(name, "principal")
        self.iot.attach_thing_principal(thingName=name, principal=cert_arn)
        self.project.record_thing(name, cert_arn, staging)
        self.journal.record(name, "done")

    def _create_thing(self, name: str) -> None:
        if self.plan.project_id is None:  # a journal written before things were marked
            self.iot.create_thing(thingName=name)
            return
        try:
            self.iot.create_thing(
                thingName=name,
                attributePayload={"attributes": owner_attributes(self.plan.project_id)},
            )
        except ClientError as err:
            if error_code(err) != "ResourceAlreadyExistsException":
                raise
            # Made by someone else since the check before the run started.
            raise names_taken(
                [describe_remote_thing(self.iot, name)], self.plan.base_name
            ) from None
