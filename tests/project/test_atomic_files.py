"""Atomic writes: whole files or nothing, private keys 0600 from the start."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from zaws.project import atomic_files


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_key_is_0600_and_public_file_0644(tmp_path: Path) -> None:
    atomic_files.write_private(tmp_path / "k.pem", "KEY")
    atomic_files.write_text(tmp_path / "c.pem", "CERT")
    assert mode(tmp_path / "k.pem") == 0o600
    assert mode(tmp_path / "c.pem") == 0o644
    assert (tmp_path / "k.pem").read_text() == "KEY"


def test_private_key_is_never_readable_by_others_while_being_written(tmp_path: Path) -> None:
    seen_modes: list[int] = []
    real_fdopen = os.fdopen

    def spying_fdopen(fd: int, *args: object, **kwargs: object) -> object:
        seen_modes.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fdopen", spying_fdopen)
        atomic_files.write_private(tmp_path / "k.pem", "KEY")
    assert seen_modes == [0o600]


def test_replacing_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "thing.conf.json"
    atomic_files.write_json(target, {"a": 1})
    atomic_files.write_json(target, {"a": 2})
    assert target.read_text().strip().endswith("}")
    assert [p.name for p in tmp_path.iterdir()] == ["thing.conf.json"]


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    atomic_files.write_text(target, "old")

    class Boom(Exception):
        pass

    def failing_replace(*_: object) -> None:
        raise Boom

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", failing_replace)
        with pytest.raises(Boom):
            atomic_files.write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_replace_dir_swaps_a_complete_folder(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "a").write_text("1")
    target = tmp_path / "things" / "t_0"
    atomic_files.replace_dir(staging, target)
    assert (target / "a").read_text() == "1"
    assert not staging.exists()
