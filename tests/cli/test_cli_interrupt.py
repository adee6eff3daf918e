"""Ctrl-C during add-things: stops after the things in flight, says how to resume, resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support.project_invariants import assert_complete


def test_ctrl_c_stops_cleanly_and_the_printed_command_finishes(
    project: Path, zaws_home: Path, boto: Any, policy: str
) -> None:
    env = {**os.environ, "ZAWS_HOME": str(zaws_home), "ZAWS_LOCAL": "1"}
    args = ["add-things", str(project), "--thing-base-name", "dev", "--things-number", "60"]
    process = subprocess.Popen(
        [sys.executable, "-m", "zaws.cli", *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    for line in process.stderr:  # plain progress lines: wait until things are being created
        if "created dev_" in line:
            break
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "stopping after the things in flight" in stderr
    resume = stderr.split("to finish: ", 1)[1].strip()
    assert resume == f"zaws add-things {project} --thing-base-name dev --things-number 60"

    finished = subprocess.run(
        [sys.executable, "-m", "zaws.cli", *resume.split()[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    assert "Finished 60 things" in finished.stdout
    assert_complete(project, boto("iot"), [f"dev_{i}" for i in range(60)], policy)
