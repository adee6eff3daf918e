"""One connection's policies, bound to its variables: the check the broker calls on every packet.

IAM's evaluation across every policy given (the certificate's and the thing groups'): a matching
Deny whose conditions hold denies, whatever allows; otherwise a matching Allow whose conditions
hold allows; otherwise the request is denied by default. Binding does per connection what can be
done once: variables substituted into resource patterns (plain ones become set lookups, wildcard
ones one regular expression per statement) and conditions decided. A check is then a dict lookup
for the action's statements and a match or two; decisions are also cached, since they depend on
(action, resource) alone. Build a new `Authorizer` when the policies or their attachments change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from zaws.iot_policy.arns import Request
from zaws.iot_policy.compiled import CompiledPolicy, CompiledStatement
from zaws.iot_policy.context import ConnectionContext
from zaws.iot_policy.decision import Decision, StatementRef, UnmetCondition
from zaws.iot_policy.variables import ContextValues
from zaws.iot_policy.wildcard import (
    Variable,
    compiled,
    has_wildcards,
    render_regex,
    render_text,
)

DECISION_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class BoundStatement:
    ref: StatementRef
    exact: frozenset[str]
    regex: re.Pattern[str] | None
    not_resource: bool
    unmet: str | None  # the first condition that does not hold for this connection
    unresolved: tuple[str, ...]  # variables of its resources left as `${...}` text

    def matches(self, resource: str) -> bool:
        hit = resource in self.exact or (
            self.regex is not None and self.regex.fullmatch(resource) is not None
        )
        return hit != self.not_resource


def bind(statement: CompiledStatement, values: ContextValues) -> BoundStatement:
    lookup = values.variable
    exact = set()
    sources = []
    unresolved = dict.fromkeys(
        part.text
        for pattern in statement.resources
        for part in pattern
        if isinstance(part, Variable) and lookup(part.name) is None
    )
    for pattern in statement.resources:
        if has_wildcards(pattern):
            sources.append(render_regex(pattern, lookup))
        else:
            exact.add(render_text(pattern, lookup))
    regex = compiled("|".join(f"(?:{s})" for s in sources)) if sources else None
    unmet = next(
        (c.describe() for c in statement.statement.conditions if not c.holds(values.key, lookup)),
        None,
    )
    s = statement.statement
    ref = StatementRef(statement.policy, s.index, s.sid, s.effect)
    return BoundStatement(ref, frozenset(exact), regex, s.not_resource, unmet, tuple(unresolved))


@dataclass(frozen=True, slots=True)
class _ForAction:
    denies: tuple[BoundStatement, ...]
    allows: tuple[BoundStatement, ...]
    unmet: tuple[BoundStatement, ...]  # statements of the action whose conditions do not hold


class Authorizer:
    """Decides requests for one connection under a set of compiled policies."""

    def __init__(self, policies: Iterable[CompiledPolicy], context: ConnectionContext) -> None:
        self.policies = tuple(policies)
        self.context = context
        self._values = ContextValues(context)
        self._names = tuple(p.name for p in self.policies)
        self._bound: dict[int, BoundStatement] = {}
        self._actions: dict[str, _ForAction] = {}
        self._decisions: dict[tuple[str, str], Decision] = {}

    def check(self, action: str, resource: str) -> Decision:
        key = (action, resource)
        decision = self._decisions.get(key)
        if decision is None:
            decision = self.evaluate(action, resource)
            if len(self._decisions) >= DECISION_CACHE_SIZE:
                self._decisions.clear()
            self._decisions[key] = decision
        return decision

    def check_request(self, request: Request) -> Decision:
        return self.check(request.action, request.resource)

    def allows(self, action: str, resource: str) -> bool:
        return self.check(action, resource).allowed

    def evaluate(self, action: str, resource: str) -> Decision:
        """The decision, computed without the decision cache."""
        statements = self._for_action(action)
        for deny in statements.denies:
            if deny.matches(resource):
                return Decision(False, action, resource, self._names, deny.ref)
        for allow in statements.allows:
            if allow.matches(resource):
                return Decision(True, action, resource, self._names, allow.ref)
        unmet = tuple(
            UnmetCondition(s.ref, s.unmet or "")
            for s in statements.unmet
            if s.ref.effect == "Allow" and s.matches(resource)
        )
        unresolved = dict.fromkeys(
            name for s in (*statements.allows, *statements.unmet) for name in s.unresolved
        )
        return Decision(False, action, resource, self._names, None, unmet, tuple(unresolved))

    def _for_action(self, action: str) -> _ForAction:
        found = self._actions.get(action)
        if found is None:
            found = self._actions[action.lower()] = self._actions[action] = self._bind_action(
                action
            )
        return found

    def _bind_action(self, action: str) -> _ForAction:
        if (known := self._actions.get(action.lower())) is not None:
            return known
        denies, allows, unmet = [], [], []
        for policy in self.policies:
            for statement in policy.statements_for(action):
                bound = self._bound.get(id(statement))
                if bound is None:
                    bound = self._bound[id(statement)] = bind(statement, self._values)
                if bound.unmet is not None:
                    unmet.append(bound)
                elif statement.effect == "Deny":
                    denies.append(bound)
                else:
                    allows.append(bound)
        return _ForAction(tuple(denies), tuple(allows), tuple(unmet))


def evaluate(
    policies: Iterable[CompiledPolicy], context: ConnectionContext, action: str, resource: str
) -> Decision:
    """One check without keeping an `Authorizer`: for diagnostics, not for every packet."""
    return Authorizer(policies, context).evaluate(action, resource)
