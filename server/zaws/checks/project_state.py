"""Checks of thing.conf.json against the rest of the project on disk.

The active thing is the one `.zawsconf` names (`<thing_base_name>_<active_thing_id>`) when that
record exists and `thingname` has the same base (the original's `.zawsconf` cannot name a thing of
another base); otherwise the record `thingname` names. The document must agree with it, and the
top-level certificate and key must be that thing's: present, the certificate `cert_arn` names, a key
that matches it, not expired. A thing whose key lives on its device (`device-key.json`) has no key
file: its certificate must be for the key of the device's CSR, and a key file left at the top
level is stale.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from datetime import datetime
from pathlib import Path

from zaws.checks import certificates
from zaws.checks.document import brace
from zaws.checks.finding import Finding, Severity
from zaws.checks.git_ignore import unignored_private_keys
from zaws.checks.jsonscan import Member, ObjectNode
from zaws.errors import NotFound, ProjectError
from zaws.project import layout
from zaws.project.thing_names import split_thing_name
from zaws.project.thing_project import ThingProject, ThingRecord


def check_project(root: ObjectNode, project: ThingProject, now: datetime) -> list[Finding]:
    findings: list[Finding] = []
    active, problem = _active_thing(root, project)
    if problem is not None:
        findings.append(problem)
    thing_member = _string_member(root, "thingname")
    if active is not None:
        findings += _agreement(root, active, thing_unknown=problem is not None)
        findings += _stopped_certificate(root, active)
    if active is not None or thing_member is not None:
        findings += _credentials(root, project.root, now, active)
    findings += _git(root, project.root)
    return findings


def _active_thing(
    root: ObjectNode, project: ThingProject
) -> tuple[ThingRecord | None, Finding | None]:
    member = _string_member(root, "thingname")
    try:
        conf = project.zawsconf()
    except ProjectError as err:
        start, end = brace(root)
        return None, Finding(start, end, Severity.ERROR, "zawsconf-invalid", err.message)
    by_conf = None
    if conf is not None and conf.last_thing_id >= 0:
        by_conf = _record(project, f"{conf.thing_base_name}_{conf.active_thing_id}")
    named = _record(project, member.node.value) if member is not None else None
    problem = None
    if member is not None and named is None:
        known = _thing_names(project.resources_dir)
        close = difflib.get_close_matches(member.node.value, known, n=1, cutoff=0.8)
        hint = f": did you mean {close[0]!r}?" if close else " (.aws_things_resources)"
        message = f"{member.node.value!r} is not one of the project's things{hint}"
        problem = _on_value(member, Severity.ERROR, "thing-unknown", message)
    if by_conf is not None and (member is None or _same_base(member.node.value, by_conf.name)):
        return by_conf, problem
    return named, problem


def _stopped_certificate(root: ObjectNode, active: ThingRecord) -> list[Finding]:
    """The active thing's certificate was revoked or deactivated (revoke-certificate)."""
    status = active.certificate_status
    if status is None:
        return []
    member = _string_member(root, "thingname")
    code = "certificate-revoked" if status == "REVOKED" else "certificate-inactive"
    fix = (
        "make another thing active"
        if status == "REVOKED"
        else f"run `zaws activate-certificate PROJECT {active.name}` or make another thing active"
    )
    message = f"The certificate of {active.name} is {status}: the device cannot connect; {fix}"
    if member is None:
        start, end = brace(root)
        return [Finding(start, end, Severity.ERROR, code, message)]
    return [_on_value(member, Severity.ERROR, code, message)]


def _agreement(root: ObjectNode, active: ThingRecord, thing_unknown: bool) -> list[Finding]:
    findings = []
    thing = _string_member(root, "thingname")
    mqtt = _string_member(root, "mqttid")
    arn = _string_member(root, "cert_arn")
    why = f"the project's active thing is {active.name!r} (.zawsconf)"
    if thing is None:
        start, end = brace(root)
        message = f"No 'thingname', but {why}: run set-active-thing to restore it"
        findings.append(Finding(start, end, Severity.ERROR, "active-thing-missing", message))
    elif thing.node.value != active.name and not thing_unknown:
        message = f"thingname {thing.node.value!r} disagrees: {why}"
        findings.append(_on_value(thing, Severity.ERROR, "thingname-mismatch", message))
    mqtt_already_reported = (
        thing is not None and mqtt is not None and (mqtt.node.value != thing.node.value)
    )
    if mqtt is not None and mqtt.node.value != active.name and not mqtt_already_reported:
        message = f"mqttid {mqtt.node.value!r} disagrees: {why}"
        findings.append(_on_value(mqtt, Severity.ERROR, "mqttid-mismatch", message))
    if arn is not None and active.cert_arn and arn.node.value != active.cert_arn:
        message = f"cert_arn is not the certificate of {active.name!r} ({active.cert_arn})"
        findings.append(_on_value(arn, Severity.ERROR, "cert-arn-mismatch", message))
    return findings


def _credentials(
    root: ObjectNode, folder: Path, now: datetime, active: ThingRecord | None
) -> list[Finding]:
    """The top-level certificate, and the key beside it: a key file that matches it, or, when
    the active thing's key lives on its device (device-key.json), no key file and a certificate
    for the key of the device's CSR."""
    anchor = _string_member(root, "cert_arn") or _string_member(root, "thingname")
    start, end = (anchor.node.start, anchor.node.end) if anchor else brace(root)
    try:
        cert = certificates.read_certificate(folder / layout.CERTIFICATE)
    except (certificates.UnreadablePem, OSError) as err:
        message = f"{layout.CERTIFICATE} is unreadable: {err}"
        return [Finding(start, end, Severity.ERROR, "certificate-invalid", message)]
    device_key = active.device_key if active is not None else None
    findings: list[Finding] = []
    key: bytes | None = None
    if device_key is not None:
        assert active is not None
        if (folder / layout.PRIVATE_KEY).exists():
            message = (
                f"{layout.PRIVATE_KEY} is not {active.name}'s: its key lives on the device; "
                "run set-active-thing again to remove the stale key"
            )
            findings.append(Finding(start, end, Severity.WARNING, "private-key-stale", message))
    else:
        try:
            key = certificates.read_private_key(folder / layout.PRIVATE_KEY)
        except (certificates.UnreadablePem, OSError) as err:
            message = f"{layout.PRIVATE_KEY} is unreadable: {err}"
            findings.append(Finding(start, end, Severity.ERROR, "private-key-invalid", message))
        else:
            if key is None:
                message = (
                    f"{layout.PRIVATE_KEY} is missing at the top level while a thing is active"
                )
                findings.append(Finding(start, end, Severity.ERROR, "private-key-missing", message))
    if cert is None:
        message = f"{layout.CERTIFICATE} is missing at the top level while a thing is active"
        findings.append(Finding(start, end, Severity.ERROR, "certificate-missing", message))
        return findings
    arn = _string_member(root, "cert_arn")
    if arn is not None and not arn.node.value.endswith("/" + cert.certificate_id):
        message = (
            f"{layout.CERTIFICATE} is not the certificate cert_arn names (its id is "
            f"{cert.certificate_id[:12]}...)"
        )
        findings.append(_on_value(arn, Severity.ERROR, "certificate-mismatch", message))
    if device_key is not None:
        if hashlib.sha256(cert.public_key_der).hexdigest() != device_key.public_key_sha256:
            message = (
                f"{layout.CERTIFICATE} is not for the key on the device (the key of "
                f"{device_key.csr_file}): the device cannot use it"
            )
            findings.append(Finding(start, end, Severity.ERROR, "device-key-mismatch", message))
    elif key is not None and key != cert.public_key_der:
        message = f"{layout.PRIVATE_KEY} does not match {layout.CERTIFICATE}"
        findings.append(Finding(start, end, Severity.ERROR, "private-key-mismatch", message))
    expiry = certificates.expiry_problem(cert, now)
    if expiry is not None:
        code, message = expiry
        severity = Severity.ERROR if code == "certificate-expired" else Severity.WARNING
        findings.append(Finding(start, end, severity, code, message))
    return findings


def _git(root: ObjectNode, folder: Path) -> list[Finding]:
    exposed = unignored_private_keys(folder)
    if not exposed:
        return []
    start, end = brace(root)
    message = (
        f"git would commit private keys ({', '.join(exposed)}): add "
        f"'{layout.PRIVATE_KEY}' and '{layout.RESOURCES_DIR}/' to .gitignore"
    )
    return [Finding(start, end, Severity.WARNING, "private-key-not-ignored", message)]


def _record(project: ThingProject, name: str) -> ThingRecord | None:
    if not name or "/" in name or name.startswith("."):
        return None
    if not (project.resources_dir / name / layout.THING_CONF).is_file():
        return None  # checked first: NotFound would read every record to list them
    try:
        return project.thing(name)
    except (NotFound, ProjectError):
        return None


def _thing_names(resources: Path) -> list[str]:
    try:
        return [name for name in os.listdir(resources) if not name.startswith(".")]
    except OSError:
        return []


def _same_base(name: str, other: str) -> bool:
    mine, theirs = split_thing_name(name), split_thing_name(other)
    return mine is not None and theirs is not None and mine[0] == theirs[0]


def _string_member(root: ObjectNode, key: str) -> Member | None:
    member = root.member(key)
    if member is None or not isinstance(member.node.value, str) or not member.node.value:
        return None
    return member


def _on_value(member: Member, severity: Severity, code: str, message: str) -> Finding:
    return Finding(member.node.start, member.node.end, severity, code, message)
