"""Checks that need only the text of thing.conf.json (and the configured region).

Syntax, shape, the two project keys (`endpoint`, `policy_name`), the form of the endpoint, the types
of the active-thing keys, unknown and duplicate keys. The parsed tree is returned too, so the checks
that need the project reuse it instead of parsing again.
"""

from __future__ import annotations

import difflib

from zaws.checks.endpoint import looks_like_url, parse_endpoint
from zaws.checks.finding import Finding, Severity
from zaws.checks.jsonscan import JsonSyntaxError, Member, ObjectNode, parse

PROJECT_KEYS = ("endpoint", "policy_name")
ACTIVE_THING_KEYS = ("thingname", "mqttid", "cert_arn")
KNOWN_KEYS = PROJECT_KEYS + ACTIVE_THING_KEYS


def check_document(text: str, region: str | None) -> tuple[ObjectNode | None, list[Finding]]:
    """Parse and check the text; the tree is None when the text is not a JSON object."""
    try:
        root = parse(text)
    except JsonSyntaxError as err:
        end = min(max(err.end, err.offset), len(text))
        return None, [Finding(err.offset, end, Severity.ERROR, "invalid-json", err.message)]
    if not isinstance(root, ObjectNode):
        message = "thing.conf.json must hold a JSON object ({...})"
        return None, [Finding(root.start, root.end, Severity.ERROR, "not-object", message)]
    findings: list[Finding] = []
    findings += _project_keys(root, region)
    findings += _active_thing_keys(root)
    findings += _unknown_and_duplicate_keys(root)
    return root, findings


def brace(root: ObjectNode) -> tuple[int, int]:
    """The opening brace: where a finding about a missing key goes."""
    return root.start, root.start + 1


def _project_keys(root: ObjectNode, region: str | None) -> list[Finding]:
    findings: list[Finding] = []
    for key in PROJECT_KEYS:
        member = root.member(key)
        if member is None:
            start, end = brace(root)
            what = "the AWS IoT data endpoint" if key == "endpoint" else "the device policy"
            message = f"Missing {key!r}: {what} the devices use"
            findings.append(Finding(start, end, Severity.ERROR, "missing-key", message))
        elif (problem := _not_a_string(member)) is not None:
            findings.append(problem)
        elif not member.node.value.strip():
            message = f"{key!r} is empty"
            findings.append(_at_value(member, Severity.ERROR, "empty-value", message))
        elif key == "endpoint":
            findings += _endpoint(member, region)
    return findings


def _endpoint(member: Member, region: str | None) -> list[Finding]:
    host = member.node.value
    endpoint = parse_endpoint(host)
    if endpoint is None:
        hint = " (a host name only, without https:// or a port)" if looks_like_url(host) else ""
        message = (
            f"{host!r} is not an AWS IoT data endpoint: expected "
            f"<prefix>-ats.iot.<region>.amazonaws.com{hint}"
        )
        return [_at_value(member, Severity.ERROR, "endpoint-invalid", message)]
    findings = []
    if not endpoint.ats:
        message = (
            "Legacy (VeriSign) endpoint: devices with Amazon Trust Services root certificates "
            "need the -ats endpoint (aws iot describe-endpoint --endpoint-type iot:Data-ATS)"
        )
        findings.append(_at_value(member, Severity.WARNING, "endpoint-legacy", message))
    if region and endpoint.region != region:
        message = f"The endpoint is in {endpoint.region}, but the configured region is {region}"
        findings.append(_at_value(member, Severity.WARNING, "endpoint-region", message))
    return findings


def _active_thing_keys(root: ObjectNode) -> list[Finding]:
    findings = []
    for key in ACTIVE_THING_KEYS:
        member = root.member(key)
        if member is not None and (problem := _not_a_string(member)) is not None:
            findings.append(problem)
    thing, mqtt = root.member("thingname"), root.member("mqttid")
    if (
        thing is not None
        and mqtt is not None
        and isinstance(thing.node.value, str)
        and isinstance(mqtt.node.value, str)
        and thing.node.value != mqtt.node.value
    ):
        message = (
            f"mqttid {mqtt.node.value!r} differs from thingname {thing.node.value!r}: the "
            "device policy lets a device connect only with its thing name as client id"
        )
        findings.append(_at_value(mqtt, Severity.WARNING, "mqttid-not-thingname", message))
    return findings


def _unknown_and_duplicate_keys(root: ObjectNode) -> list[Finding]:
    findings = []
    seen: set[str] = set()
    for member in root.members:
        if member.key in seen:
            message = f"Duplicate key {member.key!r}: only the last one counts"
            findings.append(_on_key(member, Severity.WARNING, "duplicate-key", message))
        seen.add(member.key)
        if member.key in KNOWN_KEYS:
            continue
        close = difflib.get_close_matches(member.key, KNOWN_KEYS, n=1, cutoff=0.6)
        if close:
            message = f"Unknown key {member.key!r}: did you mean {close[0]!r}?"
            severity = Severity.WARNING
        else:
            message = f"Unknown key {member.key!r}: zaws does not use it (device code may)"
            severity = Severity.INFORMATION
        findings.append(_on_key(member, severity, "unknown-key", message))
    return findings


def _not_a_string(member: Member) -> Finding | None:
    if isinstance(member.node.value, str):
        return None
    message = f"{member.key!r} must be a string"
    return _at_value(member, Severity.ERROR, "wrong-type", message)


def _on_key(member: Member, severity: Severity, code: str, message: str) -> Finding:
    return Finding(member.key_start, member.key_end, severity, code, message)


def _at_value(member: Member, severity: Severity, code: str, message: str) -> Finding:
    return Finding(member.node.start, member.node.end, severity, code, message)
