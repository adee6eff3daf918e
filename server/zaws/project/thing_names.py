"""Thing names as AWS accepts them and as zaws numbers them (`<base>_<index>`)."""

from __future__ import annotations

import re

from zaws.errors import InvalidInput

_NUMBERED = re.compile(r"^(?P<base>.+)_(?P<index>\d+)$")
_THING_NAME = re.compile(r"[a-zA-Z0-9:_-]{1,128}")
_THING_NAME_CHAR = re.compile(r"[a-zA-Z0-9:_-]")


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
    bad = sorted({c for c in base if not _THING_NAME_CHAR.match(c)})
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


def is_thing_name(name: object) -> bool:
    """True for a name AWS accepts for a thing: 1 to 128 of a-z A-Z 0-9 : _ -."""
    return isinstance(name, str) and _THING_NAME.fullmatch(name) is not None


def check_thing_name(name: object) -> str:
    """`name` when it is a thing name, else InvalidInput saying what is wrong with it.

    The one check for every thing name that comes from a user or a file: a name that passes is
    also a plain folder name (no `/`, no `..`), so it is safe under `.aws_things_resources/`.
    """
    if is_thing_name(name):
        assert isinstance(name, str)
        return name
    if not isinstance(name, str) or not name:
        problem = "is empty" if name == "" else "must be a string"
    elif len(name) > 128:
        problem = f"is {len(name)} characters long; AWS allows at most 128"
    else:
        bad = sorted({c for c in name if not _THING_NAME_CHAR.match(c)})
        problem = "contains characters AWS does not allow in thing names: " + " ".join(
            repr(c) for c in bad
        )
    shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:57] + "..."
    raise InvalidInput(
        f"The thing name {shown} {problem}",
        "a thing name is 1 to 128 letters, digits, ':', '_' and '-'",
    )
