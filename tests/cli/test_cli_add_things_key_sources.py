"""The add-things command with --csr-dir and --bulk: what it prints, and Ctrl-C during a bulk
task leaving the task running with the command that picks it up."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from tests.operations.test_add_things_device_csrs import write_csr
from tests.support.project_invariants import assert_complete


def test_csr_dir_prints_which_file_became_which_thing(
    run_zaws: Any, project: Path, tmp_path: Path
) -> None:
    for name in ("second.pem", "first.pem"):
        write_csr(tmp_path / "csrs", name, ec.generate_private_key(ec.SECP256R1()))
    done = run_zaws(
        "add-things", str(project), "--thing-base-name", "se", "--csr-dir", str(tmp_path / "csrs")
    )
    assert done.returncode == 0, done.stderr
    assert "first.pem -> se_0, second.pem -> se_1" in done.stdout
    assert "keys on the devices" in done.stdout


def test_ctrl_c_leaves_the_bulk_task_running_and_its_command_picks_it_up(
    project: Path, zaws_home: Path, boto: Any, policy: str
) -> None:
    env = {**os.environ, "ZAWS_HOME": str(zaws_home), "ZAWS_LOCAL": "1"}
    args = ["add-things", str(project), "--thing-base-name", "b", "--things-number", "1500"]
    process = subprocess.Popen(
        [sys.executable, "-m", "zaws.cli", *args, "--bulk"],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    for line in process.stderr:  # plain progress lines: wait until the task is being polled
        if "InProgress" in line:
            break
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "keeps running in AWS" in stderr
    resume = stderr.split("pick it up with: ", 1)[1].strip().split("\n")[0]
    assert resume.startswith(f"zaws add-things {project} ") and resume.endswith(" --bulk")
    [task_id] = boto("iot").list_thing_registration_tasks()["taskIds"]

    finished = subprocess.run(
        [sys.executable, "-m", "zaws.cli", *shlex.split(resume)[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    assert "Finished 1500 things" in finished.stdout
    assert f"bulk registration task {task_id}" in finished.stdout
    assert "(created by zaws)" in finished.stdout
    assert_complete(project, boto("iot"), [f"b_{i}" for i in range(1500)], policy)
