"""Permission statements merged into a policy document, so that repeated fixes stay small.

AWS IoT keeps a policy document under 2048 characters (iot_policy.size), so each fix should add
as little as it can: a resource goes into an existing unconditional Allow statement with the same
set of actions (the device policy's `iot:Subscribe` statement takes every new topic filter), and
only when there is none is the statement appended. A resource such a statement already lists is
not added again, so the same fix twice changes nothing. Pure functions on parsed JSON: the AWS
calls are policy_versions'.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MergedDocument:
    document: dict[str, Any]
    added: list[dict[str, Any]]  # the statements' parts that were missing (none: no change)


def merge_statements(document: dict[str, Any], statements: list[dict[str, Any]]) -> MergedDocument:
    """`document` with the resources of `statements` it lacks; `document` is not changed."""
    merged = copy.deepcopy(document)
    present = merged.get("Statement", [])
    present = present if isinstance(present, list) else [present]
    merged["Statement"] = present
    added = []
    for statement in statements:
        actions = _strings(statement.get("Action"))
        into = next(
            (s for s in present if _mergeable(s) and _strings(s["Action"]) == actions), None
        )
        have = _strings(into.get("Resource")) if into is not None else set()
        missing = [r for r in _list(statement.get("Resource")) if r not in have]
        if not missing:
            continue
        added.append({**statement, "Resource": missing})
        if into is None:
            present.append(copy.deepcopy(statement))
        else:
            into["Resource"] = [*_list(into["Resource"]), *missing]
    return MergedDocument(merged, added)


def _mergeable(statement: Any) -> bool:
    """An Allow with Action and Resource and nothing that narrows it (a Condition)."""
    return (
        isinstance(statement, dict)
        and statement.get("Effect") == "Allow"
        and "Action" in statement
        and "Resource" in statement
        and "Condition" not in statement
    )


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value] if value is not None else []


def _strings(value: Any) -> set[Any]:
    return set(_list(value))
