"""The fast path for `set-active-thing`: plain forms parsed without click, the rest handed over."""

from __future__ import annotations

import pytest

from zaws.cli.entry import parse_set_active


@pytest.mark.parametrize(
    ("argv", "parsed"),
    [
        (["set-active-thing", "p", "--thing-id", "3"], ("p", 3, None, False)),
        (["set-active-thing", "p"], ("p", 0, None, False)),
        (["set-active-thing", "--thing-name", "dev_1", "p", "-J"], ("p", None, "dev_1", True)),
        (
            ["--local", "--profile", "x", "set-active-thing", "p", "--thing-id", "0"],
            ("p", 0, None, False),
        ),
        (["--json", "set-active-thing", "p", "--thing-id", "12"], ("p", 12, None, True)),
        (["set-active-thing", "p", "--thing-id", "2", "--local"], ("p", 2, None, False)),
        (
            ["set-active-thing", "p", "--profile", "x", "--region=r", "--thing-id=4", "-J"],
            ("p", 4, None, True),
        ),
        (
            ["set-active-thing", "--endpoint-url", "u", "p", "--thing-name=a"],
            ("p", None, "a", False),
        ),
    ],
)
def test_plain_forms_are_parsed(argv: list[str], parsed: tuple[object, ...]) -> None:
    assert parse_set_active(argv) == parsed


@pytest.mark.parametrize(
    "argv",
    [
        ["add-things", "p"],
        ["set-active-thing", "--help"],
        ["set-active-thing"],
        ["set-active-thing", "p", "--thing-id", "x"],
        ["set-active-thing", "p", "--thing-id", "1", "--thing-name", "a"],
        ["set-active-thing", "p", "q"],
        ["--verbose", "set-active-thing", "p"],
        ["set-active-thing", "p", "--thing-id", "²"],
        ["set-active-thing", "p", "--thing-id", "٣"],
        ["set-active-thing", "p", "--thing-id", "9" * 31],
        ["set-active-thing", "p", "--thing-id="],
        ["set-active-thing", "p", "--profile"],
        ["set-active-thing", "--", "p"],
    ],
)
def test_anything_else_goes_to_the_full_command_line(argv: list[str]) -> None:
    assert parse_set_active(argv) is None
