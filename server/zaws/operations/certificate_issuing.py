"""Making a certificate and its key for a thing, crash-safe: the one place that calls
CreateKeysAndCertificate.

The request is journaled before it is sent; AWS's answer holds the only copy of the key, which is
on disk (0600, fsynced) in the staging folder before anything else can fail; only then does the
journal hold the certificate's ARN. A crash between the key reaching the disk and the journal
saying so is recovered from the staging folder; a lost answer leaves a window on record for
`orphan-certificates`. Certificates are made INACTIVE and activated once their key is saved.
Used by add-things and rotate-certificate.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from zaws.aws.errors import is_not_found
from zaws.checks.certificates import certificate_id
from zaws.project import layout
from zaws.project.atomic_files import write_private, write_text
from zaws.project.step_journal import StepJournal

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient


class CertificateIssuer:
    def __init__(self, iot: IoTClient, journal: StepJournal) -> None:
        self.iot = iot
        self.journal = journal

    def create(self, thing: str, staging: Path) -> str:
        """A new INACTIVE certificate for `thing`, its key and certificate saved in `staging`."""
        self.journal.record(thing, "cert")
        made = self.iot.create_keys_and_certificate(setAsActive=False)
        # The key exists nowhere else: it is on disk before anything else can fail.
        write_private(staging / layout.PRIVATE_KEY, made["keyPair"]["PrivateKey"])
        write_text(staging / layout.CERTIFICATE, made["certificatePem"])
        retries = made["ResponseMetadata"].get("RetryAttempts", 0)
        self.journal.record(thing, "cert-saved", cert_arn=made["certificateArn"], retries=retries)
        return made["certificateArn"]

    def recover(self, thing: str, staging: Path) -> str | None:
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
        # Whether botocore retried the lost call is unknown: keep its window under review.
        self.journal.record(thing, "cert-saved", cert_arn=arn, retries="unknown")
        return arn

    def exists(self, cert_arn: str) -> bool:
        try:
            self.iot.describe_certificate(certificateId=cert_arn.rsplit("/", 1)[-1])
        except ClientError as err:
            if is_not_found(err):
                return False
            raise
        return True


def discard_credentials(staging: Path) -> None:
    """A staged key whose certificate no longer exists in AWS is worthless: drop both files."""
    for name in (layout.PRIVATE_KEY, layout.CERTIFICATE):
        (staging / name).unlink(missing_ok=True)
