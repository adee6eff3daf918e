"""Making a certificate and its key for a thing, crash-safe: the one place that calls
CreateKeysAndCertificate and CreateCertificateFromCsr.

The request is journaled before it is sent; AWS's answer holds the only copy of the key, which is
on disk (0600, fsynced) in the staging folder before anything else can fail; only then does the
journal hold the certificate's ARN. A crash between the key reaching the disk and the journal
saying so is recovered from the staging folder; a lost answer leaves a window on record for
`orphan-certificates`. Certificates are made INACTIVE and activated once their key is saved.
Three key sources: AWS makes the key (CertificateIssuer), this machine does (LocalKeyIssuer), or the
device did and gave a CSR (DeviceCsrIssuer). Used by add-things and rotate-certificate.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from zaws.aws.errors import is_not_found
from zaws.checks.certificates import certificate_id
from zaws.errors import InvalidInput
from zaws.operations.certificate_keys import (
    DEFAULT_LOCAL_KEY_TYPE,
    check_key_type,
    csr_pem,
    key_pem,
    load_key,
    make_key,
    public_key_fingerprint,
)
from zaws.project import layout
from zaws.project.atomic_files import write_private, write_text
from zaws.project.device_key import DeviceKey, DeviceKeyRequest, write_device_key
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
    """A staged key whose certificate no longer exists in AWS is worthless: drop its files."""
    for name in (layout.PRIVATE_KEY, layout.CERTIFICATE, layout.DEVICE_KEY):
        (staging / name).unlink(missing_ok=True)


class LocalKeyIssuer(CertificateIssuer):
    """`--keys local`: the key is made here and written (0600, fsynced) before its CSR goes out;
    AWS only signs it (CreateCertificateFromCsr). The request's journal line carries the key's
    fingerprint, so a certificate made by a request whose answer was lost is provably the
    project's (`orphan_certificates.delete_provable_orphans`)."""

    def __init__(self, iot: IoTClient, journal: StepJournal, key_type: str) -> None:
        super().__init__(iot, journal)
        self.key_type = check_key_type(key_type)

    def create(self, thing: str, staging: Path) -> str:
        key_path = staging / layout.PRIVATE_KEY
        if key_path.is_file():  # made by an attempt whose answer was lost: the same key again
            key = load_key(key_path.read_bytes())
        else:
            key = make_key(self.key_type)
            write_private(key_path, key_pem(key))
        fingerprint = public_key_fingerprint(key.public_key())
        self.journal.record(thing, "cert", key=fingerprint)
        made = self.iot.create_certificate_from_csr(
            certificateSigningRequest=csr_pem(key, thing), setAsActive=False
        )
        write_text(staging / layout.CERTIFICATE, made["certificatePem"])
        retries = made["ResponseMetadata"].get("RetryAttempts", 0)
        self.journal.record(thing, "cert-saved", cert_arn=made["certificateArn"], retries=retries)
        return made["certificateArn"]


class DeviceCsrIssuer(CertificateIssuer):
    """`--csr-dir`: each thing's key lives on its device, which gave a CSR; AWS signs it
    (CreateCertificateFromCsr) and no private key ever exists in the project. The thing's folder
    gets `device-key.json` instead (see project/device_key.py). The request's journal line carries
    the key's fingerprint, so a certificate whose answer was lost is provably the project's."""

    def __init__(self, iot: IoTClient, journal: StepJournal, csrs: dict[str, DeviceKeyRequest]):
        super().__init__(iot, journal)
        self.csrs = csrs

    def create(self, thing: str, staging: Path) -> str:
        request = self.csrs[thing]
        self.journal.record(thing, "cert", key=request.fingerprint)
        made = self.iot.create_certificate_from_csr(
            certificateSigningRequest=request.pem, setAsActive=False
        )
        self._save(thing, staging, made["certificatePem"])
        retries = made["ResponseMetadata"].get("RetryAttempts", 0)
        self.journal.record(thing, "cert-saved", cert_arn=made["certificateArn"], retries=retries)
        return made["certificateArn"]

    def _save(self, thing: str, staging: Path, certificate_pem: str) -> None:
        request = self.csrs[thing]
        write_device_key(staging, DeviceKey(request.file, request.fingerprint))
        write_text(staging / layout.CERTIFICATE, certificate_pem)

    def recover(self, thing: str, staging: Path) -> str | None:
        cert = staging / layout.CERTIFICATE
        if not (cert.is_file() and (staging / layout.DEVICE_KEY).is_file()):
            return None
        try:
            arn = self.iot.describe_certificate(certificateId=certificate_id(cert.read_bytes()))[
                "certificateDescription"
            ]["certificateArn"]
        except ClientError as err:
            if is_not_found(err):
                return None
            raise
        self.journal.record(thing, "cert-saved", cert_arn=arn, retries="unknown")
        return arn


def check_key_source(keys: str, key_type: str | None) -> None:
    """Refuse, before anything is made, a key source or type AWS or zaws cannot do."""
    if keys == "aws":
        if key_type not in (None, "rsa-2048"):
            raise InvalidInput(
                f"AWS makes RSA-2048 keys only, not {key_type}",
                "pass --keys local to make an EC key here",
            )
    elif keys == "local":
        check_key_type(key_type or DEFAULT_LOCAL_KEY_TYPE)
    elif keys == "csr":
        if key_type is not None:
            raise InvalidInput(
                "--key-type does not go with --csr-dir: the devices made their keys",
                "leave out --key-type",
            )
    else:
        raise InvalidInput(
            f"Unknown key source {keys!r}", "use --keys aws, --keys local or --csr-dir DIR"
        )


def certificate_issuer(
    iot: IoTClient,
    journal: StepJournal,
    keys: str,
    key_type: str | None,
    csrs: dict[str, DeviceKeyRequest] | None = None,
) -> CertificateIssuer:
    """The issuer for a key source: `aws` (AWS makes the key), `local` (made here) or `csr`
    (made on the devices; `csrs` gives each thing's request)."""
    check_key_source(keys, key_type)
    if keys == "csr":
        if csrs is None:
            raise InvalidInput("A run from CSRs needs its CSRs", "pass --csr-dir DIR")
        return DeviceCsrIssuer(iot, journal, csrs)
    if keys == "local":
        return LocalKeyIssuer(iot, journal, key_type or DEFAULT_LOCAL_KEY_TYPE)
    return CertificateIssuer(iot, journal)
