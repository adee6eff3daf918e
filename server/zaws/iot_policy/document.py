"""Policy documents read and checked: JSON text or an already-parsed dict, to typed statements.

Accepts what AWS IoT's CreatePolicy accepts for identity policies: `Version` 2012-10-17 or
2008-10-17 (absent means 2008-10-17, where `${...}` is plain text, as in IAM), an optional `Id`,
`Statement` as one object or a list; each statement with an optional `Sid`, `Effect` Allow or
Deny, exactly one of `Action`/`NotAction` and one of `Resource`/`NotResource` (a string or a
non-empty list of strings), and an optional `Condition`. Anything else raises `MalformedPolicy`
naming the statement and the element, so a policy's author can fix it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zaws.errors import InvalidInput
from zaws.iot_policy.conditions import Condition, ConditionError, parse_conditions

VERSIONS = ("2012-10-17", "2008-10-17")
DOCUMENT_KEYS = {"Version", "Id", "Statement"}
STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}


class MalformedPolicy(InvalidInput):
    """A policy document AWS IoT would refuse (MalformedPolicyException)."""

    code = "zaws.malformedPolicy"


@dataclass(frozen=True)
class Statement:
    index: int
    sid: str | None
    effect: str  # "Allow" or "Deny"
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    conditions: tuple[Condition, ...]

    @property
    def label(self) -> str:
        return f"statement {self.index}" + (f" ({self.sid})" if self.sid else "")


@dataclass(frozen=True)
class PolicyDocument:
    version: str
    statements: tuple[Statement, ...]

    @property
    def variables(self) -> bool:
        """Whether `${...}` is a policy variable (2012-10-17) or plain text (2008-10-17)."""
        return self.version == "2012-10-17"


def parse_policy(source: str | bytes | Mapping[str, Any]) -> PolicyDocument:
    if isinstance(source, str | bytes):
        try:
            data = json.loads(source)
        except ValueError as err:
            raise MalformedPolicy(f"the policy document is not JSON: {err}") from None
    else:
        data = source
    if not isinstance(data, Mapping):
        raise MalformedPolicy("the policy document must be a JSON object")
    unknown = set(data) - DOCUMENT_KEYS
    if unknown:
        raise MalformedPolicy(
            f"the policy document has unknown elements: {', '.join(sorted(unknown))}"
        )
    version = data.get("Version", "2008-10-17")
    if version not in VERSIONS:
        raise MalformedPolicy(f"Version {version!r} is not one of {', '.join(VERSIONS)}")
    raw = data.get("Statement")
    if raw is None:
        raise MalformedPolicy("the policy document has no Statement")
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise MalformedPolicy("Statement is an empty list")
    variables = version == "2012-10-17"
    return PolicyDocument(version, tuple(_statement(i, s, variables) for i, s in enumerate(items)))


def _statement(index: int, raw: object, variables: bool) -> Statement:
    where = f"statement {index}"
    if not isinstance(raw, Mapping):
        raise MalformedPolicy(f"{where} is not an object")
    unknown = set(raw) - STATEMENT_KEYS
    if unknown:
        raise MalformedPolicy(f"{where} has unsupported elements: {', '.join(sorted(unknown))}")
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise MalformedPolicy(f"{where}: Sid must be a string")
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise MalformedPolicy(f"{where}: Effect must be Allow or Deny, not {effect!r}")
    actions, not_action = _one_of(raw, "Action", "NotAction", where)
    for action in actions:
        if action != "*" and ":" not in action:
            raise MalformedPolicy(f"{where}: action {action!r} is not service:name or *")
    resources, not_resource = _one_of(raw, "Resource", "NotResource", where)
    try:
        conditions = parse_conditions(raw.get("Condition", {}), variables=variables)
    except ConditionError as err:
        raise MalformedPolicy(f"{where}: {err}") from None
    return Statement(index, sid, effect, actions, not_action, resources, not_resource, conditions)


def _one_of(
    raw: Mapping[str, Any], name: str, negated: str, where: str
) -> tuple[tuple[str, ...], bool]:
    if (name in raw) == (negated in raw):
        raise MalformedPolicy(f"{where} needs exactly one of {name} and {negated}")
    key = name if name in raw else negated
    value = raw[key]
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) and v for v in values):
        raise MalformedPolicy(f"{where}: {key} must be a non-empty string or list of strings")
    return tuple(values), key == negated
