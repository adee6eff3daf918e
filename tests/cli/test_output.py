"""Helpers of the CLI's human output."""

from __future__ import annotations

import pytest

from zaws.cli.output import counted


@pytest.mark.parametrize(
    ("count", "noun", "text"),
    [(0, "thing", "0 things"), (1, "thing", "1 thing"), (2, "FOTA job", "2 FOTA jobs")],
)
def test_counted(count: int, noun: str, text: str) -> None:
    assert counted(count, noun) == text
