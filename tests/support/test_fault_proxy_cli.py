"""`python -m tests.support.fault_proxy` as the benchmarks run it: URL on stdout, counts on exit."""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ClientFactory = Callable[..., Any]  # the `client` fixture of conftest.py


ROOT = Path(__file__).resolve().parents[2]


def _first_line(process: subprocess.Popen[str], timeout: float = 30.0) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, "the proxy printed no URL"
    return process.stdout.readline().strip()


def test_cli_serves_prints_url_and_counts(emulator: str, client: ClientFactory) -> None:
    command = [sys.executable, "-m", "tests.support.fault_proxy", "--upstream", emulator]
    command += ["--quota", "aws-default"]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        url = _first_line(process)
        assert url.startswith("http://127.0.0.1:")
        client("iot", url).create_thing(thingName="dev_0")
        with urllib.request.urlopen(f"{url}/__fault-proxy/stats", timeout=10) as answer:
            assert json.load(answer) == {"CreateThing": {"forwarded": 1}}
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0
    assert json.loads(errors.strip().splitlines()[-1]) == {"CreateThing": {"forwarded": 1}}
