"""A fresh local AWS for one benchmark run, in its own process (the second core does its RSA work).

Prefers zaws's own emulator (`zaws.emulator.control`, the one `zaws --local` uses) with a throw-away
ZAWS_HOME, so the benchmarks measure what users run. Without zaws installed it falls back to
`python -m moto.server -H 127.0.0.1 -p 0` and reads the real port from its
"Running on http://127.0.0.1:PORT" line.

    python -m bench.emulator        # prints the URL, serves until Ctrl-C
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

START_TIMEOUT_S = 60.0
_RUNNING_ON = re.compile(rb"Running on (http://127\.0\.0\.1:\d+)")


@contextlib.contextmanager
def running_emulator(home: Path | None = None) -> Iterator[str]:
    """The URL of an emulator with an empty account, stopped on exit."""
    try:
        from zaws.emulator import control
    except ImportError:
        with _moto_process() as url:
            yield url
        return
    with contextlib.ExitStack() as stack:
        if home is None:
            home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="zaws-bench-")))
        url = control.start(home).url
        assert url, "zaws.emulator.control.start gave no URL"
        stack.callback(control.stop, home)
        yield url


@contextlib.contextmanager
def emulator_or(url: str | None) -> Iterator[str]:
    """`url` when given, else a fresh emulator for the duration."""
    if url:
        yield url
        return
    with running_emulator() as started:
        yield started


@contextlib.contextmanager
def _moto_process() -> Iterator[str]:
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"]
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        assert process.stderr is not None
        url = _read_url(process.stderr.fileno())
        # moto logs every request to stderr: keep draining it or the server blocks on a full pipe.
        threading.Thread(target=process.stderr.read, daemon=True).start()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _read_url(fd: int) -> str:
    deadline = time.monotonic() + START_TIMEOUT_S
    seen = b""
    while (found := _RUNNING_ON.search(seen)) is None:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 4096) if ready else b""
        if not chunk:
            raise RuntimeError(f"moto server did not start: {seen.decode(errors='replace')}")
        seen += chunk
    return found.group(1).decode()


def main() -> None:
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    with running_emulator() as url:
        print(url, flush=True)
        stopping.wait()


if __name__ == "__main__":
    main()
