"""One connection's policies, bound to its variables: the check the broker calls on every packet.

IAM's evaluation across every policy given (the certificate's and the thing groups'): a matching
Deny whose conditions hold denies, whatever allows; otherwise a matching Allow whose conditions
hold allows; otherwise the request is denied by default. Binding does per connection what can be
done once: variables substituted into resource patterns (specialised by `matcher` into set
lookups, prefixes and rarely an expression) and conditions decided. A check is then a dict lookup
for the action's statements and a match or two; decisions are also cached, since they depend on
(action, resource) alone. Build a new `Authorizer` when the policies or their attachments change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zaws.iot_policy.arns import Request
from zaws.iot_policy.compiled import CompiledPolicy, CompiledStatement
from zaws.iot_policy.context import ConnectionContext
from zaws.iot_policy.decision import Decision, StatementRef, UnmetCondition
from zaws.iot_policy.matcher import ResourceMatcher, bind_resources, request_head
from zaws.iot_policy.variables import ContextValues
from zaws.iot_policy.wildcard import Variable

DECISION_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class BoundStatement:
    ref: StatementRef
    resources: ResourceMatcher
    not_resource: bool
    unmet: str | None  # the first condition that does not hold for this connection
    unresolved: tuple[str, ...]  # variables of its resources left as `${...}` text

    def matches(self, resource: str) -> bool:
        return self.resources.matches(resource) != self.not_resource


def bind(statement: CompiledStatement, values: ContextValues, head: str | None) -> BoundStatement:
    lookup = values.variable
    unresolved = dict.fromkeys(
        part.text
        for pattern in statement.resources
        for part in pattern
        if isinstance(part, Variable) and lookup(part.name) is None
    )
    unmet = next(
        (c.describe() for c in statement.statement.conditions if not c.holds(values.key, lookup)),
        None,
    )
    s = statement.statement
    ref = StatementRef(statement.policy, s.index, s.sid, s.effect)
    matcher = bind_resources(statement.resources, lookup, head)
    return BoundStatement(ref, matcher, s.not_resource, unmet, tuple(unresolved))


@dataclass(frozen=True, slots=True)
class _ForAction:
    denies: tuple[BoundStatement, ...]
    allows: tuple[BoundStatement, ...]
    unmet: tuple[BoundStatement, ...]  # statements of the action whose conditions do not hold
    unresolved: tuple[str, ...]  # `${...}` left as text in the Allow statements' resources


class Authorizer:
    """Decides requests for one connection under a set of compiled policies."""

    def __init__(self, policies: Iterable[CompiledPolicy], context: ConnectionContext) -> None:
        self.policies = tuple(policies)
        self.context = context
        self._values = ContextValues(context)
        self._names = tuple(p.name for p in self.policies)
        self._bound: dict[tuple[int, str | None], BoundStatement] = {}
        self._actions: dict[tuple[str, str | None], _ForAction] = {}
        self._head: str | None = None  # the ARN head of the last request (region, account)
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
        statements = self._for_action(action, resource)
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
        return Decision(False, action, resource, self._names, None, unmet, statements.unresolved)

    def _for_action(self, action: str, resource: str) -> _ForAction:
        head = self._head
        if head is None or not resource.startswith(head):
            head = self._head = request_head(resource)
        if head is not None and ":" in resource[len(head) :]:
            head = None  # a colon in the topic: only the general expression is exact
        key = (action, head)
        found = self._actions.get(key)
        if found is None:
            found = self._actions[key] = self._bind_action(action, head)
        return found

    def _bind_action(self, action: str, head: str | None) -> _ForAction:
        if (known := self._actions.get((action.lower(), head))) is not None:
            return known
        denies, allows, unmet = [], [], []
        for policy in self.policies:
            for statement in policy.statements_for(action):
                bound = self._bound.get((id(statement), head))
                if bound is None:
                    bound = self._bound[(id(statement), head)] = bind(statement, self._values, head)
                if bound.unmet is not None:
                    unmet.append(bound)
                elif statement.effect == "Deny":
                    denies.append(bound)
                else:
                    allows.append(bound)
        unresolved = dict.fromkeys(
            name for s in (*allows, *unmet) if s.ref.effect == "Allow" for name in s.unresolved
        )
        found = _ForAction(tuple(denies), tuple(allows), tuple(unmet), tuple(unresolved))
        self._actions[(action.lower(), head)] = found
        return found


def evaluate(
    policies: Iterable[CompiledPolicy], context: ConnectionContext, action: str, resource: str
) -> Decision:
    """One check without keeping an `Authorizer`: for diagnostics, not for every packet."""
    return Authorizer(policies, context).evaluate(action, resource)
