"""The language server imports without the garbage collector, which is back on (if it was)
with those objects frozen; `settle` later collects the garbage that start-up froze."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from zaws import long_lived


@pytest.fixture(autouse=True)
def _restore_gc() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


def test_the_collector_is_off_inside_and_on_after() -> None:
    before = gc.get_freeze_count()
    with long_lived.imports():
        assert not gc.isenabled()
        kept = [[] for _ in range(1000)]  # lists are tracked by the collector
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)


def test_the_collector_is_back_on_after_a_failed_import() -> None:
    with pytest.raises(ImportError), long_lived.imports():
        import zaws.no_such_module  # type: ignore[import-not-found]  # noqa: F401
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with long_lived.imports():
        pass
    assert not gc.isenabled()


def test_settle_collects_the_garbage_frozen_with_start_up() -> None:
    with long_lived.imports():
        for _ in range(1000):  # cycles: only the collector frees them
            cycle: list[object] = []
            cycle.append(cycle)
        del cycle
    frozen = gc.get_freeze_count()
    long_lived.settle()
    assert gc.get_freeze_count() <= frozen - 1000
