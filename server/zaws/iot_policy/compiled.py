"""A policy compiled once per version: parsed, its patterns split, its actions indexed.

Actions never hold variables and are matched case-insensitively, so which statements concern an
action is decided once per (policy, action) and kept. Resources and condition values stay as
parsed patterns until a connection binds them (see `authorizer`). `compile_policy` caches by
(name, version id, document), so the broker recompiles only when a policy's default version
changes.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from zaws.iot_policy.document import PolicyDocument, Statement, parse_policy
from zaws.iot_policy.wildcard import Pattern, compiled, parse_pattern, render_regex


@dataclass(frozen=True, eq=False)
class CompiledStatement:
    policy: str
    statement: Statement
    resources: tuple[Pattern, ...]

    @property
    def effect(self) -> str:
        return self.statement.effect

    def label(self) -> str:
        return f"policy {self.policy} {self.statement.label}"


def _no_variables(_: str) -> None:
    return None


@dataclass(eq=False)
class CompiledPolicy:
    name: str
    version: str | None
    document: PolicyDocument
    statements: tuple[CompiledStatement, ...]
    _by_action: dict[str, tuple[CompiledStatement, ...]] = field(default_factory=dict, repr=False)
    _action_regexes: tuple[tuple[CompiledStatement, re.Pattern[str]], ...] = field(
        default=(), repr=False
    )

    def __post_init__(self) -> None:
        regexes = []
        for compiled_statement in self.statements:
            sources = [
                render_regex(parse_pattern(a.lower(), variables=False), _no_variables)
                for a in compiled_statement.statement.actions
            ]
            regexes.append((compiled_statement, compiled("|".join(f"(?:{s})" for s in sources))))
        self._action_regexes = tuple(regexes)

    def statements_for(self, action: str) -> tuple[CompiledStatement, ...]:
        """The statements whose Action (or NotAction) covers `action`, in document order."""
        lowered = action.lower()
        found = self._by_action.get(lowered)
        if found is None:
            found = tuple(
                s
                for s, regex in self._action_regexes
                if (regex.fullmatch(lowered) is not None) != s.statement.not_action
            )
            self._by_action[lowered] = found
        return found


def compile_policy(
    name: str, document: str | bytes | Mapping[str, Any], version: str | None = None
) -> CompiledPolicy:
    """Compile (or fetch from the cache) policy `name` at `version` with this document."""
    text = document if isinstance(document, str | bytes) else json.dumps(document, sort_keys=True)
    return _compile(name, version, text)


@functools.lru_cache(maxsize=1024)
def _compile(name: str, version: str | None, text: str | bytes) -> CompiledPolicy:
    document = parse_policy(text)
    statements = tuple(
        CompiledStatement(
            name,
            statement,
            tuple(parse_pattern(r, variables=document.variables) for r in statement.resources),
        )
        for statement in document.statements
    )
    return CompiledPolicy(name, version, document, statements)
