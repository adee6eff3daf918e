"""`zaws device check` and `zaws device run` through the real command line, on the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things
from zaws.project.thing_project import ThingProject


def test_device_check_passes_for_a_good_thing_and_prints_its_steps(
    project: Path, aws: AwsSettings, run_zaws: Any
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    done = run_zaws("device", "check", str(project))
    assert done.returncode == 0, done.stderr + done.stdout
    assert "connect: connects as client id board_0" in done.stdout
    assert "all works" in done.stdout

    as_json = run_zaws("-J", "device", "check", str(project), "--thing", "board_0")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["ok"] is True


def test_device_check_exits_1_for_a_thing_whose_certificate_is_inactive(
    project: Path, aws: AwsSettings, run_zaws: Any, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    cert_id = ThingProject.open(project).thing("board_0").cert_id
    boto("iot").update_certificate(certificateId=cert_id, newStatus="INACTIVE")
    done = run_zaws("device", "check", str(project))
    assert done.returncode == 1
    assert "may not connect" in done.stdout and "INACTIVE" in done.stdout
