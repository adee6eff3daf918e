"""Resource patterns bound to one connection, in the cheapest form that matches the same ARNs.

Resource ARNs are matched as IAM documents: a wildcard works within one colon-separated segment,
except that a `*` ending a segment may extend past colons; in the resource segment `*` crosses
`/` and `:` alike. Every request of a connection has the same head
(`arn:aws:iot:<region>:<account>:`), so a pattern is specialised for that head once: a head that
does not match drops the pattern, and what is left becomes a literal ARN (a set lookup), a prefix
(`topic/<thing>/*`: `startswith`) or, rarely, a regular expression. That is exact whenever the
request's resource segment holds no colon (the pattern's five head colons then align with the
request's); a request with colons in its topic takes the general expression instead. A policy
like `zaws create-policy`'s binds without compiling a single expression per connection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zaws.iot_policy.wildcard import (
    Lookup,
    Part,
    Pattern,
    Variable,
    Wild,
    compiled,
    render_text,
)

HEAD_COLONS = 5  # arn:partition:service:region:account:resource


def request_head(resource: str) -> str | None:
    """`arn:aws:iot:r:a:` for a well-formed ARN, None for anything else."""
    end = -1
    for _ in range(HEAD_COLONS):
        end = resource.find(":", end + 1)
        if end == -1:
            return None
    return resource[: end + 1] if resource.startswith("arn:") else None


def split_head(pattern: Pattern) -> tuple[Pattern, Pattern] | None:
    """The pattern's first five segments (through the fifth literal colon) and the rest."""
    colons = 0
    for index, part in enumerate(pattern):
        if isinstance(part, str):
            for offset, char in enumerate(part):
                if char == ":":
                    colons += 1
                    if colons == HEAD_COLONS:
                        head = (*pattern[:index], part[: offset + 1])
                        rest = part[offset + 1 :]
                        return head, ((rest,) if rest else ()) + pattern[index + 1 :]
    return None


def arn_regex(pattern: Pattern, lookup: Lookup) -> str:
    """The regular expression for a whole pattern, segment rules included."""
    split = split_head(pattern)
    if split is None:
        return _regex(pattern, lookup, in_head=True)
    head, tail = split
    return _regex(head, lookup, in_head=True) + _regex(tail, lookup, in_head=False)


def _regex(parts: tuple[Part, ...], lookup: Lookup, *, in_head: bool) -> str:
    out = []
    for index, part in enumerate(parts):
        if part is Wild.ANY:
            after = parts[index + 1] if index + 1 < len(parts) else ":"
            ends_segment = isinstance(after, str) and after.startswith(":")
            out.append(".*" if not in_head or ends_segment else "[^:]*")
        elif part is Wild.ONE:
            out.append("[^:]" if in_head else ".")
        else:
            out.append(re.escape(render_text((part,), lookup)))
    return "".join(out)


@dataclass(frozen=True, slots=True)
class ResourceMatcher:
    exact: frozenset[str]
    prefixes: tuple[str, ...]
    regex: re.Pattern[str] | None

    def matches(self, resource: str) -> bool:
        return (
            resource in self.exact
            or (bool(self.prefixes) and resource.startswith(self.prefixes))
            or (self.regex is not None and self.regex.fullmatch(resource) is not None)
        )


def bind_resources(
    patterns: tuple[Pattern, ...], lookup: Lookup, head: str | None
) -> ResourceMatcher:
    """Specialise `patterns` for one connection's variables and requests whose head is `head`."""
    exact: set[str] = set()
    prefixes: list[str] = []
    sources: list[str] = []
    for pattern in patterns:
        split = split_head(pattern) if head is not None else None
        if head is None or split is None or any(isinstance(p, Variable) for p in split[0]):
            if not any(isinstance(p, Wild) for p in pattern):
                exact.add(render_text(pattern, lookup))
            else:
                sources.append(arn_regex(pattern, lookup))
            continue
        head_pattern, tail = split
        if compiled(_regex(head_pattern, lookup, in_head=True)).fullmatch(head) is None:
            continue
        wilds = [i for i, p in enumerate(tail) if isinstance(p, Wild)]
        if not wilds:
            exact.add(head + render_text(tail, lookup))
        elif wilds == [len(tail) - 1] and tail[-1] is Wild.ANY:
            prefixes.append(head + render_text(tail[:-1], lookup))
        else:
            sources.append(re.escape(head) + _regex(tail, lookup, in_head=False))
    regex = compiled("|".join(f"(?:{s})" for s in sources)) if sources else None
    return ResourceMatcher(frozenset(exact), tuple(prefixes), regex)
