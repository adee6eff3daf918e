"""Starting, finding and stopping the emulator process; its URL and pid live in ZAWS_HOME.

`zaws emulator start|stop|status` and every `--local` command go through here. The emulator is a
detached process (its own session), so it outlives the command that started it; a file lock makes
concurrent starts agree on one emulator.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zaws.errors import ZawsError

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class EmulatorStatus:
    running: bool
    url: str | None = None
    pid: int | None = None
    # the MQTT endpoint: {"host", "port", "server_name", "ca_file", "ws_port"}, None if not served
    mqtt: dict[str, object] | None = None

    def to_dict(self) -> dict[str, object]:
        return {"running": self.running, "url": self.url, "pid": self.pid, "mqtt": self.mqtt}


def emulator_dir(home: Path) -> Path:
    folder = home / "emulator"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def status(home: Path) -> EmulatorStatus:
    info_file = emulator_dir(home) / "emulator.json"
    try:
        info = json.loads(info_file.read_text())
        pid, url = int(info["pid"]), str(info["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return EmulatorStatus(running=False)
    if _is_emulator_process(pid) and _accepts_connections(url):
        return EmulatorStatus(running=True, url=url, pid=pid, mqtt=_mqtt_endpoint(home, pid))
    return EmulatorStatus(running=False)


def _mqtt_endpoint(home: Path, pid: int) -> dict[str, object] | None:
    from zaws.emulator.data_plane.endpoint_info import read_info

    info = read_info(emulator_dir(home), pid)
    return info.to_dict() if info is not None else None


def ensure_running(home: Path) -> str:
    """The emulator's URL, starting it first when it is not running."""
    current = status(home)
    if current.running and current.url:
        return current.url
    return start(home).url or ""


def start(home: Path) -> EmulatorStatus:
    folder = emulator_dir(home)
    with _start_lock(folder):
        current = status(home)
        if current.running:
            return current
        read_fd, write_fd = os.pipe()
        with (folder / "emulator.log").open("ab") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "zaws.emulator.process",
                    "--home",
                    str(folder),
                    "--ready-fd",
                    str(write_fd),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                pass_fds=(write_fd,),
                start_new_session=True,
                close_fds=True,
            )
        os.close(write_fd)
        url = _read_ready_line(read_fd, process)
        info = {"pid": process.pid, "url": url, "started": time.time()}
        tmp = folder / "emulator.json.tmp"
        tmp.write_text(json.dumps(info))
        os.replace(tmp, folder / "emulator.json")
        return EmulatorStatus(
            running=True, url=url, pid=process.pid, mqtt=_mqtt_endpoint(home, process.pid)
        )


def stop(home: Path) -> bool:
    """Stop the emulator, letting it save its state. False when it was not running."""
    current = status(home)
    if not current.running or current.pid is None:
        return False
    os.kill(current.pid, signal.SIGTERM)
    _wait_for_exit(current.pid, STOP_TIMEOUT_S)
    (emulator_dir(home) / "emulator.json").unlink(missing_ok=True)
    return True


def _read_ready_line(read_fd: int, process: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + START_TIMEOUT_S
    data = b""
    try:
        while b"\n" not in data:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([read_fd], [], [], max(remaining, 0))
            if not ready:
                process.kill()
                raise ZawsError("The local emulator did not start in time", _see_log())
            chunk = os.read(read_fd, 256)
            if not chunk:
                raise ZawsError("The local emulator exited while starting", _see_log())
            data += chunk
    finally:
        os.close(read_fd)
    return data.decode().strip()


def _see_log() -> str:
    return "see emulator.log under ZAWS_HOME/emulator"


def _is_emulator_process(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"zaws.emulator.process" in cmdline


def _accepts_connections(url: str) -> bool:
    host, _, port = url.removeprefix("http://").partition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return True
    except (OSError, ValueError):
        return False


def _wait_for_exit(pid: int, timeout: float) -> None:
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        ready, _, _ = select.select([pidfd], [], [], timeout)
        if not ready:
            os.kill(pid, signal.SIGKILL)
    finally:
        os.close(pidfd)


@contextlib.contextmanager
def _start_lock(folder: Path) -> Iterator[None]:
    fd = os.open(folder / "start.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
