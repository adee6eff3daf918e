"""Running the `zaws` command line as a measured child process: wall time, peak memory, JSON result.

The benchmarks time what a user runs (interpreter start-up included) and read the child's own
peak resident set size from `wait4`, so earlier children (the baseline's `aws` processes) do not
count. Children get a bench-only ZAWS_HOME (hence the bench's emulator) and no AWS_* settings
of the caller, unless `env` gives some.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ZAWS = str(Path(sys.executable).with_name("zaws"))


@dataclass(frozen=True)
class ZawsRun:
    result: Any
    seconds: float
    peak_rss_mb: float
    stderr: str


def zaws(*args: str, home: Path, env: dict[str, str] | None = None) -> ZawsRun:
    """Run `zaws -J ARGS...`; raise with its stderr when it fails."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ZAWS_"))}
    environment.update(ZAWS_HOME=str(home), **(env or {}))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [ZAWS, "-J", *args], stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=environment
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        raise RuntimeError(f"zaws {' '.join(args)} failed ({child.returncode}):\n{stderr}")
    return ZawsRun(
        json.loads(stdout) if stdout.strip() else None, seconds, usage.ru_maxrss / 1024, stderr
    )


def make_project(home: Path, parent: Path, policy: str, *, local_args: tuple[str, ...]) -> Path:
    """A project from the template with `policy` created and set (not timed by the benchmarks)."""
    zaws(*local_args, "create-policy", policy, home=home)
    made = zaws(
        *local_args,
        "thing-project-from-template",
        "bench",
        str(parent),
        "--aws-policy-name",
        policy,
        "--aws-endpoint",
        "bench-ats.iot.us-east-1.amazonaws.com",
        home=home,
    )
    return Path(made.result["path"])
