"""`python -m zaws`: the servers' imports run without the garbage collector, which is back on,
with those objects frozen, once they are done."""

from __future__ import annotations

import gc

import pytest

from zaws.__main__ import long_lived_imports


@pytest.fixture(autouse=True)
def _restore_gc() -> object:
    yield
    gc.unfreeze()
    gc.enable()


def test_the_collector_is_off_inside_and_on_after() -> None:
    before = gc.get_freeze_count()
    with long_lived_imports():
        assert not gc.isenabled()
        kept = [[] for _ in range(1000)]  # lists are tracked by the collector
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)


def test_the_collector_is_back_on_after_a_failed_import() -> None:
    with pytest.raises(ImportError), long_lived_imports():
        import zaws.no_such_module  # type: ignore[import-not-found]  # noqa: F401
    assert gc.isenabled()
