"""Thing names as AWS accepts them and as zaws numbers them (`<base>_<index>`)."""

from __future__ import annotations

import re

from zaws.errors import InvalidInput

_NUMBERED = re.compile(r"^(?P<base>.+)_(?P<index>\d+)$")


def thing_name(base: str, index: int) -> str:
    return f"{base}_{index}"


def split_thing_name(name: str) -> tuple[str, int] | None:
    """`('prod', 12)` for `prod_12`; None for a name zaws did not number."""
    match = _NUMBERED.match(name)
    if not match:
        return None
    return match["base"], int(match["index"])


def check_base_name(base: str, highest_index: int) -> None:
    """Refuse a base name whose numbered things AWS would reject, saying exactly why."""
    if not base:
        raise InvalidInput("The thing base name is empty", "pass --thing-base-name NAME")
    bad = sorted({c for c in base if not re.match(r"[a-zA-Z0-9:_-]", c)})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise InvalidInput(
            f"The thing base name {base!r} contains characters AWS does not allow in thing "
            f"names: {shown}",
            "use only letters, digits, ':', '_' and '-'",
        )
    longest = thing_name(base, highest_index)
    if len(longest) > 128:
        raise InvalidInput(
            f"The thing name {longest[:40]}... would be {len(longest)} characters long; "
            "AWS allows at most 128",
            "choose a shorter --thing-base-name",
        )
