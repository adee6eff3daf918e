"""What must hold between a project on disk and AWS, whatever happened to the last run.

Used by the crash and fault tests: every remote certificate of the project has its private key on
disk (and the key matches), every remote thing has its local record, no thing is duplicated, and a
certificate whose key a lost answer took with it is on the project's list for review (never
deleted silently: `zaws orphan-certificates`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from zaws.operations.certificate_keys import public_key_fingerprint
from zaws.operations.orphan_certificates import CLOCK_SKEW_S, find_orphan_candidates
from zaws.project.certificate_requests import UncertainCertificateRequests


def local_records(project: Path) -> dict[str, dict[str, Any]]:
    folder = project / ".aws_things_resources"
    records = {}
    for thing in sorted(folder.iterdir()) if folder.exists() else []:
        if not thing.name.startswith(".") and (thing / "thing.conf.json").exists():
            records[thing.name] = json.loads((thing / "thing.conf.json").read_text())
    return records


def remote_state(iot: Any) -> tuple[set[str], dict[str, str]]:
    things = {
        t["thingName"] for p in iot.get_paginator("list_things").paginate() for t in p["things"]
    }
    certificates = {
        c["certificateId"]: c["status"]
        for p in iot.get_paginator("list_certificates").paginate()
        for c in p["certificates"]
    }
    return things, certificates


def key_matches_certificate(folder: Path) -> bool:
    """The thing's key (or, for a key on the device, its CSR's key) is the certificate's."""
    cert = x509.load_pem_x509_certificate((folder / "certificate.pem.crt").read_bytes())
    note = folder / "device-key.json"
    if note.exists():
        wanted = json.loads(note.read_text())["public_key_sha256"]
        return not (folder / "private.pem.key").exists() and (
            public_key_fingerprint(cert.public_key()) == wanted
        )
    key = serialization.load_pem_private_key((folder / "private.pem.key").read_bytes(), None)
    return key.public_key() == cert.public_key()


def assert_nothing_lost(project: Path, iot: Any) -> None:
    """Every remote thing and certificate is known locally, keys included (any moment)."""
    records = local_records(project)
    things, certificates = remote_state(iot)
    staged = project / ".zaws" / "add-things" / "staging"
    pending = {p.name for p in staged.iterdir()} if staged.exists() else set()
    plan = project / ".zaws" / "add-things" / "plan.json"
    planned: set[str] = set()
    if plan.exists():
        data = json.loads(plan.read_text())
        planned = {
            f"{data['base_name']}_{i}"
            for i in range(data["first_index"], data["first_index"] + data["count"])
        }
    assert things <= set(records) | planned, things - set(records) - planned
    known_certs = {r["cert_arn"].rsplit("/", 1)[1] for r in records.values()}
    unknown = set(certificates) - known_certs
    # A certificate not yet recorded belongs to a thing of the unfinished run (journaled).
    assert not unknown or pending or plan.exists(), unknown


def orphans_under_review(project: Path, iot: Any) -> set[str]:
    """The certificates `zaws orphan-certificates` lists for the project (local emulator)."""
    windows = UncertainCertificateRequests(project / ".zaws").windows()
    known = {r["cert_arn"].rsplit("/", 1)[1] for r in local_records(project).values()}
    found = find_orphan_candidates(iot, windows, known, skew_s=CLOCK_SKEW_S[True])
    return {c.certificate_id for c in found}


def assert_complete(
    project: Path,
    iot: Any,
    expected_names: list[str],
    policy: str,
    *,
    outside: frozenset[str] = frozenset(),
) -> None:
    """After a finished run: exactly the expected things, each fully provisioned; any other
    certificate (but the `outside` ones, made by someone else) is an orphan under review."""
    records = local_records(project)
    assert sorted(records) == sorted(expected_names)
    things, certificates = remote_state(iot)
    assert things == set(expected_names)
    recorded = {r["cert_arn"].rsplit("/", 1)[1] for r in records.values()}
    assert recorded <= set(certificates)
    assert set(certificates) - recorded - outside == orphans_under_review(project, iot) - outside
    for name, record in records.items():
        arn = record["cert_arn"]
        assert certificates[arn.rsplit("/", 1)[1]] == "ACTIVE"
        assert iot.list_thing_principals(thingName=name)["principals"] == [arn]
        attached = iot.list_attached_policies(target=arn)["policies"]
        assert [p["policyName"] for p in attached] == [policy]
        assert key_matches_certificate(project / ".aws_things_resources" / name)
    assert not (project / ".zaws" / "add-things").exists()
