"""The `zaws` command line end to end on the emulator: the seed's commands, their output, JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def ok(result: Any) -> str:
    assert result.returncode == 0, result.stderr
    return str(result.stdout)


def test_the_seed_workflow(tmp_path: Path, run_zaws: Any, aws: Any, boto: Any) -> None:
    ok(run_zaws("create-policy", "pol"))
    out = ok(
        run_zaws("thing-project-from-template", "demo", str(tmp_path), "--aws-policy-name", "pol")
    )
    assert "the account's ATS data endpoint" in out
    project = tmp_path / "demo"
    conf = json.loads((project / "thing.conf.json").read_text())
    assert conf["endpoint"].endswith("-ats.iot.us-east-1.amazonaws.com")
    assert sorted(p.name for p in project.iterdir()) == [
        ".gitignore",
        "helpers.py",
        "main.py",
        "readme.md",
        "thing.conf.json",
    ]

    # The seed spells the option both ways.
    ok(run_zaws("add-things", str(project), "--things-base-name", "dev", "--things-number", "2"))
    added = json.loads(ok(run_zaws("-J", "add-things", str(project), "--thing-base-name", "gw")))
    assert added["things"] == ["gw_0"] and added["active_thing"] == "dev_0"

    out = ok(run_zaws("set-active-thing", str(project), "--thing-id", "0"))
    assert out.strip() == "Active thing: gw_0"
    listing = json.loads(ok(run_zaws("list-things", str(project), "--json")))
    assert [t["name"] for t in listing["things"] if t["active"]] == ["gw_0"]

    plan = ok(run_zaws("iot-cleanup", str(project), "--dry-run"))
    assert "delete 3 things and 3 certificates" in plan and "Dry run" in plan
    assert len(boto("iot").list_things()["things"]) == 3
    ok(run_zaws("iot-cleanup", str(project), "--yes"))
    assert boto("iot").list_things()["things"] == []
    assert not (project / ".aws_things_resources").exists()


def test_cleanup_without_yes_and_without_terminal_refuses(
    project: Path, run_zaws: Any, aws: Any
) -> None:
    added = ok(run_zaws("add-things", str(project), "--thing-base-name", "dev"))
    assert added.startswith("Created 1 thing in ")
    result = run_zaws("iot-cleanup", str(project))
    assert result.returncode == 1
    assert "needs a confirmation" in result.stderr and "--yes" in result.stderr
    assert (project / ".aws_things_resources" / "dev_0").is_dir()


def test_global_options_work_after_the_command_name(
    tmp_path: Path, run_zaws: Any, aws: Any
) -> None:
    result = run_zaws("create-policy", "p2", "--local", "--json", local=False)
    assert json.loads(ok(result))["name"] == "p2"
