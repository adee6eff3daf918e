"""set_active_thing on hand-made projects: only a thing of this project is ever made active."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.project.test_thing_project import original_project
from zaws.errors import InvalidInput, ProjectError
from zaws.operations.set_active_thing import set_active_thing


def test_by_id_and_by_name(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0", "dev_1"])
    assert set_active_thing(root, thing_id=1).thing_name == "dev_1"
    assert set_active_thing(root, thing_name="dev_0").thing_name == "dev_0"
    assert json.loads((root / "thing.conf.json").read_text())["thingname"] == "dev_0"


def test_another_projects_thing_is_never_reached(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0"])
    original_project(tmp_path / "other", ["dev_0", "dev_1", "dev_2"])
    with pytest.raises(InvalidInput, match="thing name"):
        set_active_thing(root, thing_name="../../other/.aws_things_resources/dev_2")
    assert not (root / "private.pem.key").exists()


def test_a_thing_without_its_key_is_refused(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0", "dev_1"])
    (root / ".aws_things_resources" / "dev_1" / "private.pem.key").unlink()
    with pytest.raises(ProjectError, match="key or certificate of dev_1 is missing"):
        set_active_thing(root, thing_id=1)


def test_id_and_name_together_are_refused(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0"])
    with pytest.raises(InvalidInput, match="not both"):
        set_active_thing(root, thing_id=0, thing_name="dev_0")
