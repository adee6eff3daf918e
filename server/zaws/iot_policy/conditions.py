"""Condition blocks: IAM's operators, evaluated against one connection's keys.

`{"Operator": {"key": value | [values]}}`: several operators or keys AND, several values OR. An
operator may carry `ForAnyValue:` / `ForAllValues:` (for multi-valued keys such as
`iot:Certificate.Subject.Organization.List`) and the `IfExists` suffix (true when the key is
absent). A key absent from the connection makes a positive operator false and a negated one
(StringNotEquals, NotIpAddress, ...) true, as IAM documents; `Null` tests presence itself.
Values may hold policy variables; `*`/`?` are wildcards only for the ...Like operators (and the
Arn ones, which IAM matches like ArnLike). Every key AWS IoT offers is known at CONNECT, so a
statement's conditions are decided once per connection.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from zaws.iot_policy.wildcard import Lookup, Pattern, compiled, parse_pattern, render_regex
from zaws.iot_policy.wildcard import render_text as _render_text

Test = Callable[[str, str], bool]  # (key value, condition value rendered for this connection)


def _number(text: str) -> float:
    value = float(text)
    if math.isnan(value):
        raise ValueError(text)
    return value


def _date(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def _compare(convert: Callable[[str], float], check: Callable[[float, float], bool]) -> Test:
    def test(value: str, wanted: str) -> bool:
        try:
            return check(convert(value), convert(wanted))
        except ValueError:
            return False

    return test


def _in_network(value: str, wanted: str) -> bool:
    try:
        return ipaddress.ip_address(value) in ipaddress.ip_network(wanted, strict=False)
    except ValueError:
        return False


def _like(value: str, regex: str) -> bool:
    return compiled(regex).fullmatch(value) is not None


def _equal(a: float, b: float) -> bool:
    return a == b


# base operator -> (test, negated, values are wildcard patterns)
OPERATORS: dict[str, tuple[Test, bool, bool]] = {
    "StringEquals": (str.__eq__, False, False),
    "StringNotEquals": (str.__eq__, True, False),
    "StringEqualsIgnoreCase": (lambda v, w: v.casefold() == w.casefold(), False, False),
    "StringNotEqualsIgnoreCase": (lambda v, w: v.casefold() == w.casefold(), True, False),
    "StringLike": (_like, False, True),
    "StringNotLike": (_like, True, True),
    "ArnEquals": (_like, False, True),
    "ArnLike": (_like, False, True),
    "ArnNotEquals": (_like, True, True),
    "ArnNotLike": (_like, True, True),
    "Bool": (lambda v, w: v.lower() == w.lower(), False, False),
    "IpAddress": (_in_network, False, False),
    "NotIpAddress": (_in_network, True, False),
    "NumericEquals": (_compare(_number, _equal), False, False),
    "NumericNotEquals": (_compare(_number, _equal), True, False),
    "NumericLessThan": (_compare(_number, lambda a, b: a < b), False, False),
    "NumericLessThanEquals": (_compare(_number, lambda a, b: a <= b), False, False),
    "NumericGreaterThan": (_compare(_number, lambda a, b: a > b), False, False),
    "NumericGreaterThanEquals": (_compare(_number, lambda a, b: a >= b), False, False),
    "DateEquals": (_compare(_date, _equal), False, False),
    "DateNotEquals": (_compare(_date, _equal), True, False),
    "DateLessThan": (_compare(_date, lambda a, b: a < b), False, False),
    "DateLessThanEquals": (_compare(_date, lambda a, b: a <= b), False, False),
    "DateGreaterThan": (_compare(_date, lambda a, b: a > b), False, False),
    "DateGreaterThanEquals": (_compare(_date, lambda a, b: a >= b), False, False),
}
_BY_LOWER = {name.lower(): name for name in [*OPERATORS, "Null"]}
QUALIFIERS = {"foranyvalue": "ForAnyValue", "forallvalues": "ForAllValues"}


class ConditionError(ValueError):
    """A condition block that is not well formed; the message says what is wrong."""


@dataclass(frozen=True)
class Condition:
    operator: str  # as written, e.g. "ForAllValues:StringEquals"
    base: str  # canonical base operator, e.g. "StringEquals" or "Null"
    qualifier: str | None  # "ForAnyValue", "ForAllValues" or None
    if_exists: bool
    key: str
    values: tuple[Pattern, ...]

    def describe(self) -> str:
        shown = ", ".join(repr(_render_text(v, _no_variables)) for v in self.values)
        return f"{self.operator} {self.key} [{shown}]"

    def holds(self, key: Callable[[str], tuple[str, ...] | None], lookup: Lookup) -> bool:
        """Whether the condition holds for a connection whose keys and variables these are."""
        present = key(self.key)
        if self.base == "Null":
            wanted = {_render_text(v, lookup).lower() for v in self.values}
            return ("true" in wanted and not present) or ("false" in wanted and bool(present))
        test, negated, patterns = OPERATORS[self.base]
        if patterns:
            rendered = [render_regex(v, lookup) for v in self.values]
        else:
            rendered = [_render_text(v, lookup) for v in self.values]
        if not present:
            if self.if_exists or self.qualifier == "ForAllValues":
                return True
            return negated and self.qualifier is None

        def matches(value: str) -> bool:
            hit = any(test(value, wanted) for wanted in rendered)
            return not hit if negated else hit

        if self.qualifier == "ForAllValues":
            return all(matches(value) for value in present)
        return any(matches(value) for value in present)


def _no_variables(_: str) -> None:
    return None


def parse_conditions(block: object, *, variables: bool) -> tuple[Condition, ...]:
    if not isinstance(block, Mapping):
        raise ConditionError("Condition must be an object of operators")
    conditions = []
    for operator, keys in block.items():
        base, qualifier, if_exists = _parse_operator(str(operator))
        if not isinstance(keys, Mapping) or not keys:
            raise ConditionError(f"Condition operator {operator} must map keys to values")
        for key, raw in keys.items():
            values = raw if isinstance(raw, list) else [raw]
            if not values:
                raise ConditionError(f"Condition {operator} {key} has no value")
            texts = [_value_text(operator, key, v) for v in values]
            parsed = tuple(parse_pattern(t, variables=variables) for t in texts)
            conditions.append(Condition(operator, base, qualifier, if_exists, str(key), parsed))
    return tuple(conditions)


def _parse_operator(operator: str) -> tuple[str, str | None, bool]:
    qualifier = None
    name = operator
    prefix, colon, rest = operator.partition(":")
    if colon:
        if prefix.lower() not in QUALIFIERS:
            raise ConditionError(f"unknown condition qualifier {prefix!r} in {operator}")
        qualifier, name = QUALIFIERS[prefix.lower()], rest
    if_exists = name.lower().endswith("ifexists") and name.lower() != "ifexists"
    base = _BY_LOWER.get((name[: -len("IfExists")] if if_exists else name).lower())
    if base is None:
        raise ConditionError(f"unsupported condition operator {operator}")
    if base == "Null" and (if_exists or qualifier):
        raise ConditionError(f"{operator}: Null takes neither IfExists nor a qualifier")
    return base, qualifier, if_exists


def _value_text(operator: object, key: object, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise ConditionError(f"Condition {operator} {key}: values must be strings, numbers or booleans")
