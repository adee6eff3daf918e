"""Thing names: numbering and the checks AWS would make."""

from __future__ import annotations

import pytest

from zaws.errors import InvalidInput
from zaws.project.thing_names import (
    check_base_name,
    check_thing_name,
    is_thing_name,
    split_thing_name,
    thing_name,
)


def test_numbered_names_round_trip() -> None:
    assert thing_name("prod_line", 12) == "prod_line_12"
    assert split_thing_name("prod_line_12") == ("prod_line", 12)
    assert split_thing_name("gateway") is None


@pytest.mark.parametrize("base", ["a b", "thing/1", "ünicode", "semi;colon"])
def test_base_names_with_forbidden_characters_are_refused(base: str) -> None:
    with pytest.raises(InvalidInput, match="characters AWS does not allow"):
        check_base_name(base, 0)


def test_names_longer_than_128_characters_are_refused() -> None:
    check_base_name("x" * 126, 9)  # x..x_9 is exactly 128
    with pytest.raises(InvalidInput, match="at most 128"):
        check_base_name("x" * 126, 10)


def test_allowed_punctuation_passes() -> None:
    check_base_name("Line-3:cell_A", 999)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("..", "characters AWS does not allow"),
        ("a/b", "characters AWS does not allow"),
        ("dev_1\n", "characters AWS does not allow"),
        ("²", "characters AWS does not allow"),
        ("", "is empty"),
        ("x" * 129, "at most 128"),
        (5, "must be a string"),
        (None, "must be a string"),
    ],
)
def test_names_that_are_not_thing_names_are_refused(name: object, problem: str) -> None:
    assert not is_thing_name(name)
    with pytest.raises(InvalidInput, match=problem):
        check_thing_name(name)


def test_thing_names_pass_unchanged() -> None:
    for name in ("dev_0", "Line-3:cell_A", "x" * 128, "0"):
        assert is_thing_name(name)
        assert check_thing_name(name) == name
