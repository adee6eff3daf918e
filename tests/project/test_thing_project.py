"""The project model on files laid out by hand, as the original toolchain writes them."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest

from zaws.errors import NotFound, ProjectError
from zaws.project.thing_project import ThingProject


def certificate_arn(name: str) -> str:
    """A well-formed certificate ARN, its 64-hex id derived from `name`."""
    return "arn:aws:iot:eu-west-1:123456789012:cert/" + hashlib.sha256(name.encode()).hexdigest()


def original_project(root: Path, things: list[str], active: int = 0) -> Path:
    """A project exactly as the original `ztc aws` left it (compact JSON, no extra files)."""
    root.mkdir()
    resources = root / ".aws_things_resources"
    for name in things:
        folder = resources / name
        folder.mkdir(parents=True)
        arn = certificate_arn(name)
        (folder / "thing.conf.json").write_text(
            json.dumps({"mqttid": name, "thingname": name, "cert_arn": arn})
        )
        (folder / "certificate.pem.crt").write_text(f"CERT {name}")
        (folder / "private.pem.key").write_text(f"KEY {name}")
    conf = {
        "endpoint": "a1b2-ats.iot.eu-west-1.amazonaws.com",
        "policy_name": "pol",
        "my_setting": 42,
    }
    (root / "thing.conf.json").write_text(json.dumps(conf))
    base = things[0].rsplit("_", 1)[0]
    (root / ".zawsconf").write_text(
        json.dumps(
            {"thing_base_name": base, "last_thing_id": len(things) - 1, "active_thing_id": active}
        )
    )
    return root


def test_reads_things_in_numeric_order(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0", "dev_1", "dev_10", "dev_2"])
    project = ThingProject.open(root)
    assert [t.name for t in project.things()] == ["dev_0", "dev_1", "dev_2", "dev_10"]
    assert project.highest_index("dev") == 10
    assert project.highest_index("other") == -1


def test_activating_copies_key_and_certificate_and_keeps_other_keys(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0", "dev_1"])
    project = ThingProject.open(root)
    project.activate(project.resolve_thing(thing_id=1, thing_name=None))
    conf = json.loads((root / "thing.conf.json").read_text())
    assert conf["thingname"] == conf["mqttid"] == "dev_1"
    assert conf["cert_arn"] == certificate_arn("dev_1")
    assert conf["my_setting"] == 42
    assert (root / "private.pem.key").read_text() == "KEY dev_1"
    assert stat.S_IMODE((root / "private.pem.key").stat().st_mode) == 0o600
    assert (root / "certificate.pem.crt").read_text() == "CERT dev_1"
    assert json.loads((root / ".zawsconf").read_text())["active_thing_id"] == 1


def test_unknown_thing_names_the_known_ones(tmp_path: Path) -> None:
    project = ThingProject.open(original_project(tmp_path / "p", ["dev_0"]))
    with pytest.raises(NotFound, match="dev_0"):
        project.resolve_thing(thing_id=5, thing_name=None)


def test_a_folder_without_thing_conf_is_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="not a zaws project"):
        ThingProject.open(tmp_path)
    with pytest.raises(ProjectError, match="No project folder"):
        ThingProject.open(tmp_path / "missing")


def test_broken_json_says_where(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0"])
    (root / "thing.conf.json").write_text('{"endpoint": "x",\n  "policy_name": }')
    with pytest.raises(ProjectError, match=r"line 2, column 18"):
        ThingProject.open(root).config()


def test_forgetting_the_active_thing_removes_stale_credentials(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0"])
    project = ThingProject.open(root)
    project.activate(project.thing("dev_0"))
    project.forget_active_thing()
    conf = json.loads((root / "thing.conf.json").read_text())
    assert "thingname" not in conf and conf["policy_name"] == "pol"
    assert not (root / "private.pem.key").exists()
