"""IAM wildcards and `${...}` references as AWS IoT reads them in a policy string.

A policy string is parsed once into parts: literal text, `*` (any sequence, `/` and `:` included),
`?` (exactly one character) and policy variables. MQTT's `+` and `#` are plain text here, as AWS
IoT documents. Variables exist only in Version 2012-10-17 documents; there `${*}`, `${?}` and
`${$}` stand for a literal `*`, `?` and `$`. Rendering a pattern for one connection substitutes
each variable's value as literal text, or keeps the `${...}` text itself when the value is not
available, which is what AWS does.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass


class Wild(enum.Enum):
    ANY = "*"
    ONE = "?"


@dataclass(frozen=True, slots=True)
class Variable:
    name: str  # as written inside ${...}, surrounding spaces removed
    text: str  # the whole "${...}" as written: what stays when the variable is not substituted


Part = str | Wild | Variable
Pattern = tuple[Part, ...]
Lookup = Callable[[str], str | None]  # a variable's value for this connection, None: not available

_ESCAPES = {"*": "*", "?": "?", "$": "$"}


def parse_pattern(text: str, *, variables: bool) -> Pattern:
    """Split `text` into literal runs, wildcards and (when `variables`) `${...}` references."""
    parts: list[Part] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if variables and text.startswith("${", i) and (end := text.find("}", i + 2)) != -1:
            inner = text[i + 2 : end]
            if inner in _ESCAPES:
                literal.append(_ESCAPES[inner])
            else:
                _flush(literal, parts)
                parts.append(Variable(inner.strip(), text[i : end + 1]))
            i = end + 1
            continue
        if char in "*?":
            _flush(literal, parts)
            parts.append(Wild.ANY if char == "*" else Wild.ONE)
        else:
            literal.append(char)
        i += 1
    _flush(literal, parts)
    return tuple(parts)


def _flush(literal: list[str], parts: list[Part]) -> None:
    if literal:
        parts.append("".join(literal))
        literal.clear()


def has_wildcards(pattern: Pattern) -> bool:
    return any(isinstance(part, Wild) for part in pattern)


def has_variables(pattern: Pattern) -> bool:
    return any(isinstance(part, Variable) for part in pattern)


def render_text(pattern: Pattern, lookup: Lookup) -> str:
    """The pattern as plain text, variables substituted: for comparisons without wildcards."""
    return "".join(_text(part, lookup) for part in pattern)


def _text(part: Part, lookup: Lookup) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, Wild):
        return part.value
    value = lookup(part.name)
    return part.text if value is None else value


def render_regex(pattern: Pattern, lookup: Lookup) -> str:
    """A regular expression source matching what the pattern matches, variables substituted."""
    out: list[str] = []
    for part in pattern:
        if part is Wild.ANY:
            out.append(".*")
        elif part is Wild.ONE:
            out.append(".")
        else:
            out.append(re.escape(_text(part, lookup)))
    return "".join(out)


@functools.lru_cache(maxsize=16384)
def compiled(source: str, *, ignore_case: bool = False) -> re.Pattern[str]:
    """`re.compile` with a cache of its own, large enough for a fleet's per-connection patterns."""
    return re.compile(source, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def glob_match(pattern: str, text: str) -> bool:
    """IAM matching of one plain pattern (no variables) against text: a convenience for callers."""
    return (
        compiled(render_regex(parse_pattern(pattern, variables=False), _none)).fullmatch(text)
        is not None
    )


def _none(_: str) -> None:
    return None
