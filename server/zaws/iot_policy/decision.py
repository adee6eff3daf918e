"""The answer to one check, with the reason a person can act on.

A `Decision` says allowed or not and why: the statement that allowed or explicitly denied the
request (policy name, index and Sid), or that nothing allowed it, with the statements that would
have but whose Condition did not hold. `reason()` is the technical form for logs;
`refusal()` is the sentence the broker's log, `zaws mqtt` and the simulated devices show, e.g.
"policy zerynth-devices does not allow client id x (iot:Connect on client/x)".
"""

from __future__ import annotations

from dataclasses import dataclass

from zaws.iot_policy.arns import short_resource


@dataclass(frozen=True, slots=True)
class StatementRef:
    policy: str
    index: int
    sid: str | None
    effect: str

    def label(self) -> str:
        sid = f" ({self.sid})" if self.sid else ""
        return f"policy {self.policy} statement {self.index}{sid}"


@dataclass(frozen=True, slots=True)
class UnmetCondition:
    statement: StatementRef
    condition: str  # the first condition that did not hold, e.g. "Bool iot:...IsAttached ['true']"


@dataclass(slots=True)  # read-only by convention: frozen dataclasses cost ~1 us more to build
class Decision:
    allowed: bool
    action: str
    resource: str
    policies: tuple[str, ...]  # the names of the policies evaluated
    statement: StatementRef | None = None  # the Allow that allowed it, or the Deny that denied it
    unmet: tuple[UnmetCondition, ...] = ()
    unresolved: tuple[
        str, ...
    ] = ()  # `${...}` left unsubstituted in the Allow statements' resources

    @property
    def explicit_deny(self) -> bool:
        return not self.allowed and self.statement is not None

    def reason(self) -> str:
        request = f"{self.action} on {self.resource}"
        if self.allowed:
            assert self.statement is not None
            return f"{self.statement.label()} allows {request}"
        if self.statement is not None:
            return f"{self.statement.label()} denies {request}"
        text = f"no statement allows {request}"
        if not self.policies:
            text += " (no policy is attached)"
        for unmet in self.unmet:
            condition = unmet.condition
            text += (
                f"; {unmet.statement.label()} would, but its condition {condition} does not hold"
            )
        return text

    def refusal(self) -> str:
        """One sentence for a refused request; for an allowed one, why it was allowed."""
        what = f"{self.action} on {short_resource(self.resource)}"
        subject = _subject(self.action, short_resource(self.resource))
        if self.allowed or self.statement is not None:
            assert self.statement is not None
            verb = "allows" if self.allowed else "denies"
            return f"policy {self.statement.policy} {verb} {subject} ({self._where(what)})"
        if not self.policies:
            return f"no policy is attached, so nothing allows {subject} ({what})"
        names = ", ".join(self.policies)
        verb = "does not allow" if len(self.policies) == 1 else "do not allow"
        noun = "policy" if len(self.policies) == 1 else "policies"
        text = f"{noun} {names} {verb} {subject} ({what})"
        if self.unmet:
            first = self.unmet[0]
            text += f"; {first.statement.label()} would, but {first.condition} does not hold"
        elif self.unresolved:
            text += f"; {_unresolved_words(self.unresolved)}"
        return text

    def _where(self, what: str) -> str:
        assert self.statement is not None
        sid = f" ({self.statement.sid})" if self.statement.sid else ""
        return f"statement {self.statement.index}{sid}, {what}"


def _subject(action: str, resource: str) -> str:
    kind, _, name = resource.partition("/")
    wording = {
        ("iot:connect", "client"): "client id {}",
        ("iot:publish", "topic"): "publishing to {}",
        ("iot:retainpublish", "topic"): "retained publishing to {}",
        ("iot:subscribe", "topicfilter"): "subscribing to {}",
        ("iot:receive", "topic"): "receiving messages of {}",
    }.get((action.lower(), kind))
    return wording.format(name) if wording else f"{action} on {resource}"


def _unresolved_words(names: tuple[str, ...]) -> str:
    shown = ", ".join(names)
    verb = "has" if len(names) == 1 else "have"
    if any("iot:connection.thing." in name.lower() for name in names):
        return (
            f"{shown} {verb} no value: the client id is not the name of a thing attached to"
            " the certificate"
        )
    return f"{shown} {verb} no value for this connection"
