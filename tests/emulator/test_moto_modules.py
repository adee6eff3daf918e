"""moto's module list is read once: the emulator no longer lists moto's folder on every request."""

from __future__ import annotations

import os
from typing import Any

import moto.backends
import pytest

from zaws.emulator.moto_modules import list_moto_modules_once


def test_the_list_is_moto_s_own_and_later_calls_read_no_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(moto.backends, "list_of_moto_modules", moto.backends.list_of_moto_modules)
    listed = list(moto.backends.list_of_moto_modules())
    list_moto_modules_once()

    def no_listing(*args: Any) -> list[str]:
        raise AssertionError("moto's folder listed again")

    monkeypatch.setattr(os, "listdir", no_listing)
    assert "iot" in listed
    assert list(moto.backends.list_of_moto_modules()) == listed
