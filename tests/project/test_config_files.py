""".zawsconf and the JSON files of a project: corrupted content is a clear ProjectError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zaws.errors import ProjectError
from zaws.project.config_files import ZawsConf, read_json_object


def zawsconf(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".zawsconf"
    path.write_text(text)
    return path


def test_the_original_toolchains_file_reads_and_writes_back_unchanged(tmp_path: Path) -> None:
    original = {"thing_base_name": "dev", "last_thing_id": 4, "active_thing_id": 2}
    path = zawsconf(tmp_path, json.dumps(original))
    conf = ZawsConf.read(path)
    assert conf == ZawsConf("dev", 4, 2)
    assert conf is not None and conf.project_id is None
    conf.write(path)
    assert json.loads(path.read_text()) == original


def test_project_id_is_read_and_written(tmp_path: Path) -> None:
    path = zawsconf(tmp_path, json.dumps({"thing_base_name": "dev", "project_id": "p-1/a@b.c"}))
    conf = ZawsConf.read(path)
    assert conf is not None and conf.project_id == "p-1/a@b.c"
    conf.last_thing_id = 0
    conf.write(path)
    assert json.loads(path.read_text())["project_id"] == "p-1/a@b.c"


@pytest.mark.parametrize("project_id", [5, None, "", "a b", "x" * 129, "new\nline", ["p"]])
def test_a_bad_project_id_is_refused(tmp_path: Path, project_id: object) -> None:
    path = zawsconf(tmp_path, json.dumps({"thing_base_name": "dev", "project_id": project_id}))
    with pytest.raises(ProjectError, match=r"\.zawsconf.*project_id"):
        ZawsConf.read(path)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"thing_base_name": "dev", "last_thing_id": 1e400}', "last_thing_id"),
        ('{"thing_base_name": "dev", "last_thing_id": NaN}', "last_thing_id"),
        ('{"thing_base_name": "dev", "last_thing_id": 1.5}', "last_thing_id"),
        ('{"thing_base_name": "dev", "last_thing_id": true}', "last_thing_id"),
        ('{"thing_base_name": "dev", "last_thing_id": "3"}', "last_thing_id"),
        ('{"thing_base_name": "dev", "active_thing_id": -1e400}', "active_thing_id"),
        ('{"thing_base_name": "dev", "active_thing_id": null}', "active_thing_id"),
        ('{"thing_base_name": null}', "thing_base_name"),
        ('{"thing_base_name": 5}', "thing_base_name"),
        ('{"thing_base_name": ""}', "thing_base_name"),
        ('{"last_thing_id": 3}', "thing_base_name"),
    ],
)
def test_a_corrupted_key_is_named(tmp_path: Path, text: str, key: str) -> None:
    path = zawsconf(tmp_path, text)
    with pytest.raises(ProjectError) as caught:
        ZawsConf.read(path)
    assert str(path) in caught.value.message
    assert key in caught.value.message
    assert caught.value.hint


def test_invalid_utf8_is_a_project_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / ".zawsconf"
    path.write_bytes(b'{"thing_base_name": "d\xffv"}')
    with pytest.raises(ProjectError, match="not valid UTF-8") as caught:
        ZawsConf.read(path)
    assert str(path) in caught.value.message


def test_any_json_file_with_invalid_utf8_is_a_project_error(tmp_path: Path) -> None:
    path = tmp_path / "thing.conf.json"
    path.write_bytes(b'{"thingname": "\xc3("}')
    with pytest.raises(ProjectError, match="not valid UTF-8"):
        read_json_object(path, what="thing.conf.json")


def test_a_folder_where_the_file_should_be_is_a_project_error(tmp_path: Path) -> None:
    (tmp_path / "thing.conf.json").mkdir()
    with pytest.raises(ProjectError, match="cannot read"):
        read_json_object(tmp_path / "thing.conf.json", what="thing.conf.json")
