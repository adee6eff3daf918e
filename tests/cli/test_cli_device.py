"""`zaws device check` and `zaws device run` through the real command line, on the emulator."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
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


def test_device_run_prints_one_json_object_a_event_and_stops_after_for(
    project: Path, aws: AwsSettings, run_zaws: Any
) -> None:
    add_things(project, aws=aws, base_name="board", count=2)
    done = run_zaws("-J", "device", "run", str(project), "--all", "--every", "0.5", "--for", "3")
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    kinds = {(e["thing"], e["event"]) for e in events}
    for thing in ("board_0", "board_1"):
        assert {(thing, "connected"), (thing, "published"), (thing, "disconnected")} <= kinds
    published = next(e for e in events if e["event"] == "published")
    assert published["topic"] == f"{published['thing']}/samples"
    assert "2 devices ran" in done.stderr and "time is up" in done.stderr


def test_ctrl_c_stops_every_device_cleanly(
    project: Path, aws: AwsSettings, zaws_home: Path
) -> None:
    add_things(project, aws=aws, base_name="board", count=2)
    environment = {**os.environ, "ZAWS_HOME": str(zaws_home), "ZAWS_LOCAL": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "zaws.cli", "device", "run", str(project), "--all", "--every", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    watchdog = threading.Timer(60, process.kill)  # bounds the reading loop below
    watchdog.start()
    try:
        assert process.stdout is not None
        seen: set[str] = set()
        for line in process.stdout:
            if "published" in line:
                seen.add(line.split(": ", 1)[0].split()[-1])
            if seen == {"board_0", "board_1"}:
                break
        process.send_signal(signal.SIGINT)
        rest, errors = process.communicate(timeout=30)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, errors
    assert rest.count("disconnected: stopped") == 2
    assert "(stopped)" in errors
