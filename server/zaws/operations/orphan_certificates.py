"""`orphan-certificates`: certificates an interrupted add-things may have made, key lost.

When a CreateKeysAndCertificate answer is lost, the certificate AWS may have made is useless (its
key exists nowhere) and harmless (zaws creates certificates INACTIVE and activates them only once
the key is on disk). AWS cannot tell who made a certificate, so a colleague's INACTIVE certificate
made in the same seconds looks exactly the same. zaws therefore never deletes these by itself:
add-things and cleanup record the uncertain requests' time windows and say how many candidates
there are; this command lists them (INACTIVE, attached to nothing, unknown to the project, created
inside a window) and deletes them only when asked, after the user has seen the list.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from zaws.aws.errors import aws_errors, is_not_found
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput
from zaws.operations.certificate_keys import public_key_fingerprint
from zaws.project.add_things_journal import AddThingsJournal, ThingProgress
from zaws.project.certificate_requests import RequestWindow, UncertainCertificateRequests
from zaws.project.lock import project_lock
from zaws.project.thing_project import ThingProject

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient

# How far AWS's creationDate may stand from this machine's clock (the emulator shares it).
CLOCK_SKEW_S = {True: 2.0, False: 60.0}


@dataclass(frozen=True)
class OrphanCandidate:
    certificate_id: str
    certificate_arn: str
    created: str  # ISO 8601, UTC
    requested_for: str  # the thing whose lost request the certificate's creation time matches
    # Its public key is that of a key made here for that request: the project's beyond doubt.
    provably_ours: bool = False


@dataclass
class OrphanReview:
    project: str
    requests: int  # uncertain requests on record
    candidates: list[OrphanCandidate]
    deleted: list[str] = field(default_factory=list)
    already_gone: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def record_uncertain_requests(
    state_dir: Path, states: dict[str, ThingProgress], *, now: float | None = None
) -> list[RequestWindow]:
    """Keep the journal's uncertain requests on record (they outlive the journal)."""
    bound = time.time() if now is None else now
    windows = [
        RequestWindow(request.sent, request.made_by(bound), thing, request.key)
        for thing, state in states.items()
        for request in state.uncertain_requests
    ]
    UncertainCertificateRequests(state_dir).add(windows)
    return windows


def find_orphan_candidates(
    iot: IoTClient, windows: list[RequestWindow], known_ids: Iterable[str], *, skew_s: float
) -> list[OrphanCandidate]:
    if not windows:
        return []
    known = set(known_ids)
    earliest = min(w.sent for w in windows) - skew_s
    found: list[OrphanCandidate] = []
    with aws_errors("looking for certificates whose key may have been lost"):
        pages = iot.get_paginator("list_certificates").paginate(
            ascendingOrder=False, PaginationConfig={"PageSize": 250}
        )
        for page in pages:
            for cert in page["certificates"]:
                created = cert["creationDate"].astimezone(dt.UTC)
                stamp = created.timestamp()
                if stamp < earliest or cert["status"] != "INACTIVE":
                    continue
                if cert["certificateId"] in known:
                    continue
                inside = [w for w in windows if w.sent - skew_s <= stamp <= w.bounded + skew_s]
                if not inside or _is_attached(iot, cert["certificateArn"]):
                    continue
                its_key = _window_of_its_key(iot, cert["certificateId"], inside)
                found.append(
                    OrphanCandidate(
                        cert["certificateId"],
                        cert["certificateArn"],
                        created.isoformat(),
                        (its_key or inside[0]).thing,
                        provably_ours=its_key is not None,  # not merely made at the same time
                    )
                )
    return found


def _window_of_its_key(
    iot: IoTClient, cert_id: str, windows: list[RequestWindow]
) -> RequestWindow | None:
    """The window whose locally made key is the certificate's own key, if any."""
    keyed = {w.key: w for w in windows if w.key is not None}
    if not keyed:
        return None
    from cryptography import x509

    pem = iot.describe_certificate(certificateId=cert_id)["certificateDescription"]
    certificate = x509.load_pem_x509_certificate(pem["certificatePem"].encode())
    return keyed.get(public_key_fingerprint(certificate.public_key()))


def delete_provable_orphans(iot: IoTClient, proj: ThingProject, *, local: bool) -> list[str]:
    """Delete, without asking, the candidates whose public key is one of the keys made here for
    a lost request: nobody else can hold that key, so they are the project's own."""
    deleted = []
    with aws_errors("deleting certificates made for keys of this project"):
        for candidate in count_orphan_candidates(iot, proj, local=local):
            if candidate.provably_ours and _delete(iot, candidate.certificate_id):
                deleted.append(candidate.certificate_id)
    return deleted


def count_orphan_candidates(
    iot: IoTClient, proj: ThingProject, *, local: bool
) -> list[OrphanCandidate]:
    """The candidates of every uncertain request on record for the project."""
    windows = UncertainCertificateRequests(proj.state_dir).windows()
    return find_orphan_candidates(iot, windows, _known_ids(proj), skew_s=CLOCK_SKEW_S[local])


def review_orphan_certificates(project: Path, *, aws: AwsSettings) -> OrphanReview:
    from zaws.aws.clients import AwsClients

    proj = ThingProject.open(project)
    requests = UncertainCertificateRequests(proj.state_dir)
    windows = requests.windows()
    iot = AwsClients(aws).iot
    candidates = find_orphan_candidates(
        iot, windows, _known_ids(proj), skew_s=CLOCK_SKEW_S[aws.local]
    )
    return OrphanReview(str(proj.root), len(windows), candidates)


def delete_orphan_certificates(
    project: Path, *, aws: AwsSettings, certificate_ids: list[str] | None = None
) -> OrphanReview:
    """Delete the listed candidates (all of them when `certificate_ids` is None).

    Each is checked again just before: still a candidate (INACTIVE, attached to nothing). An id
    that is not a candidate is refused before anything is deleted. Once no candidate is left,
    the record of uncertain requests is cleared: they have been reviewed.
    """
    from zaws.aws.clients import AwsClients

    proj = ThingProject.open(project)
    with project_lock(proj.state_dir, "orphan-certificates"):
        review = review_orphan_certificates(project, aws=aws)
        by_id = {c.certificate_id: c for c in review.candidates}
        chosen = list(by_id) if certificate_ids is None else certificate_ids
        unknown = [cert_id for cert_id in chosen if cert_id not in by_id]
        if unknown:
            raise InvalidInput(
                f"Not a certificate this project may have lost the key of: {', '.join(unknown)}",
                f"list the candidates with `zaws orphan-certificates {proj.root}`",
            )
        iot = AwsClients(aws).iot
        with aws_errors("deleting a certificate whose key was lost"):
            for cert_id in chosen:
                if _delete(iot, cert_id):
                    review.deleted.append(cert_id)
                else:
                    review.already_gone.append(cert_id)
        left = [c for c in review.candidates if c.certificate_id not in chosen]
        review.candidates = left
        if not left:
            UncertainCertificateRequests(proj.state_dir).clear()
    return review


def _delete(iot: IoTClient, cert_id: str) -> bool:
    """True when deleted now; False when it was already gone (a retried delete, say)."""
    try:
        iot.delete_certificate(certificateId=cert_id)
    except ClientError as err:
        if is_not_found(err):
            return False
        raise
    return True


def _known_ids(proj: ThingProject) -> set[str]:
    known = {t.cert_id for t in proj.things()}
    journal = AddThingsJournal(proj.state_dir)
    known |= {s.cert_arn.rsplit("/", 1)[-1] for s in journal.progress().values() if s.cert_arn}
    return known


def _is_attached(iot: IoTClient, arn: str) -> bool:
    if iot.list_principal_things(principal=arn).get("things"):
        return True
    return bool(iot.list_attached_policies(target=arn).get("policies"))
