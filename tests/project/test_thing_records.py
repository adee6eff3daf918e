"""Which folders are things: a thing name is never a path, and stray records are never things."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.project.test_thing_project import certificate_arn, original_project
from zaws.errors import InvalidInput, ProjectError
from zaws.project.thing_project import ThingProject


@pytest.fixture
def two_projects(tmp_path: Path) -> tuple[Path, Path]:
    """Projects `p` (dev_0) and `other` (dev_2) side by side."""
    return (
        original_project(tmp_path / "p", ["dev_0"]),
        original_project(tmp_path / "other", ["dev_0", "dev_1", "dev_2"]),
    )


@pytest.mark.parametrize(
    "name",
    [
        "..",
        ".",
        "../../other/.aws_things_resources/dev_2",
        "dev_0/.",
        "/etc",
        "",
        "dev 0",
        "dev_0\n",
        "x" * 129,
        "dév_0",
    ],
)
def test_a_name_that_is_not_a_thing_name_is_refused(
    two_projects: tuple[Path, Path], name: str
) -> None:
    root, _ = two_projects
    project = ThingProject.open(root)
    with pytest.raises(InvalidInput, match="thing name") as caught:
        project.resolve_thing(thing_id=None, thing_name=name)
    assert "letters, digits" in (caught.value.hint or "")


def test_another_projects_key_is_never_copied_in(two_projects: tuple[Path, Path]) -> None:
    root, other = two_projects
    project = ThingProject.open(root)
    with pytest.raises(InvalidInput):
        project.thing(f"../../{other.name}/.aws_things_resources/dev_2")
    assert not (root / "private.pem.key").exists()


def test_the_longest_thing_name_is_accepted(tmp_path: Path) -> None:
    name = "x" * 126 + "_0"
    project = ThingProject.open(original_project(tmp_path / "p", [name]))
    assert project.thing(name).name == name


def stray(resources: Path, folder: str, record: object) -> None:
    (resources / folder).mkdir()
    conf = record if isinstance(record, str) else json.dumps(record)
    (resources / folder / "thing.conf.json").write_text(conf)


def test_stray_records_are_not_things_and_say_why(two_projects: tuple[Path, Path]) -> None:
    root, other = two_projects
    resources = root / ".aws_things_resources"
    stray(resources, "notes", {"comment": "my own folder"})
    stray(resources, "dev_9", {"thingname": "dev_1", "cert_arn": certificate_arn("dev_9")})
    stray(resources, "dev_5", {"thingname": "dev_5"})
    stray(resources, "dev_6", {"thingname": "dev_6", "cert_arn": "arn:aws:iot:x:1:cert/abc"})
    stray(resources, "dev 7", {"thingname": "dev 7", "cert_arn": certificate_arn("dev 7")})
    stray(resources, "dev_8", "{not json")
    os.symlink(other / ".aws_things_resources" / "dev_2", resources / "dev_2")
    (resources / "dev_3").mkdir()  # no thing.conf.json: not a record at all
    project = ThingProject.open(root)

    assert [t.name for t in project.things()] == ["dev_0"]
    reasons = {s.folder.name: s.reason for s in project.stray_records()}
    assert set(reasons) == {"notes", "dev_9", "dev_5", "dev_6", "dev 7", "dev_8", "dev_2"}
    assert "thingname 'dev_1' is not its folder's name" in reasons["dev_9"]
    assert "no cert_arn" in reasons["dev_5"] and "no cert_arn" not in reasons["dev_6"]
    assert "not a thing name" in reasons["dev 7"]
    assert "not valid JSON" in reasons["dev_8"]
    assert "link" in reasons["dev_2"]
    assert project.highest_index("dev") == 0


@pytest.mark.parametrize("name", ["dev_5", "dev_2"])
def test_a_stray_record_cannot_be_activated(two_projects: tuple[Path, Path], name: str) -> None:
    root, other = two_projects
    resources = root / ".aws_things_resources"
    stray(resources, "dev_5", {"thingname": "dev_5"})
    os.symlink(other / ".aws_things_resources" / "dev_2", resources / "dev_2")
    project = ThingProject.open(root)
    with pytest.raises(ProjectError, match="is not the record of a thing"):
        project.resolve_thing(thing_id=None, thing_name=name)
    assert not (root / "private.pem.key").exists()


def test_invalid_utf8_in_a_record_is_a_clear_error(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0"])
    (root / ".aws_things_resources" / "dev_0" / "thing.conf.json").write_bytes(b'{"a": "\xff"}')
    project = ThingProject.open(root)
    with pytest.raises(ProjectError, match="not valid UTF-8"):
        project.thing("dev_0")
    assert project.things() == []


def test_missing_key_or_certificate_files_are_named(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0", "dev_1"])
    (root / ".aws_things_resources" / "dev_1" / "private.pem.key").unlink()
    project = ThingProject.open(root)
    assert project.thing("dev_0").missing_files == []
    assert project.thing("dev_1").missing_files == ["private.pem.key"]


def test_a_thing_id_too_large_for_a_thing_name_is_refused(tmp_path: Path) -> None:
    project = ThingProject.open(original_project(tmp_path / "p", ["x" * 120 + "_0"]))
    with pytest.raises(InvalidInput, match="too large"):
        project.resolve_thing(thing_id=10**10, thing_name=None)


def test_a_zawsconf_base_name_that_cannot_make_thing_names_is_a_project_error(
    two_projects: tuple[Path, Path],
) -> None:
    root, other = two_projects
    conf = {"thing_base_name": f"../../{other.name}/.aws_things_resources/dev", "last_thing_id": 2}
    (root / ".zawsconf").write_text(json.dumps(conf))
    with pytest.raises(ProjectError, match="thing_base_name"):
        ThingProject.open(root).resolve_thing(thing_id=2, thing_name=None)
    assert not (root / "private.pem.key").exists()


def test_a_write_that_fails_is_a_project_error_naming_the_file(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0"])
    (root / "private.pem.key").mkdir()  # a folder where the key goes: the rename fails
    project = ThingProject.open(root)
    with pytest.raises(ProjectError, match=r"cannot write .*private\.pem\.key"):
        project.activate(project.thing("dev_0"))


def test_removing_a_record_never_leaves_the_resources_folder(
    two_projects: tuple[Path, Path],
) -> None:
    root, other = two_projects
    with pytest.raises(InvalidInput):
        ThingProject.open(root).remove_thing_record(f"../../{other.name}")
    assert other.is_dir()
