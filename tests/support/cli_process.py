"""The real `zaws` CLI as a subprocess on the local emulator, maybe SIGKILLed at an exact moment.

`run_cli(home, "add-things", ..., kill=("after-call.iot.CreateThing", 2))` goes through
tests/support/kill_at.py, which kills the process from botocore's own event hooks;
`start_cli(home, ...)` runs it in the background, for a test that kills it when something happens
elsewhere (a request reaching a proxy).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KILL_AT = Path(__file__).resolve().parent / "kill_at.py"


def _environment(zaws_home: Path) -> dict[str, str]:
    return {**os.environ, "ZAWS_HOME": str(zaws_home), "ZAWS_LOCAL": "1"}


def start_cli(zaws_home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "zaws.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_environment(zaws_home),
    )


def run_cli(
    zaws_home: Path, *args: str, kill: tuple[str, int] | None = None
) -> subprocess.CompletedProcess[str]:
    env = _environment(zaws_home)
    command = [sys.executable, "-m", "zaws.cli", *args]
    if kill:
        command = [sys.executable, str(KILL_AT), kill[0], str(kill[1]), "--", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
