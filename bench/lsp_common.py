"""A bare LSP client for the benchmarks: the server as a subprocess, framed JSON over pipes.

No pytest-lsp here, so the figures measure the server, not a test client's own overhead. Frames
are read on a thread; `wait` blocks on a queue until the wanted message arrives.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zaws.rpc.framing import read_frame


class LspProcess:
    def __init__(
        self,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
        command: tuple[str, ...] = ("-m", "zaws", "serve"),
    ) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, *command, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        self.inbox: queue.Queue[tuple[float, Any]] = queue.Queue()
        self.ids = itertools.count(1)
        self.responses: dict[Any, Any] = {}
        self.write_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while (frame := read_frame(self.process.stdout, 1 << 30)) is not None:
            self.inbox.put((time.perf_counter(), json.loads(frame.body)))

    def send(self, message: dict[str, Any]) -> float:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        with self.write_lock:
            sent = time.perf_counter()
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()
        return sent

    def request(self, method: str, params: Any) -> int:
        request_id = next(self.ids)
        self.send({"id": request_id, "method": method, "params": params})
        return request_id

    def wait(self, wanted: Callable[[Any], bool], timeout: float = 600) -> tuple[float, Any]:
        """The first message satisfying `wanted`; answers the server's own requests on the way."""
        deadline = time.monotonic() + timeout
        while True:
            at, message = self.inbox.get(timeout=max(0.1, deadline - time.monotonic()))
            if "method" in message and "id" in message:  # e.g. window/workDoneProgress/create
                self.send({"id": message["id"], "result": None})
            elif "method" not in message:
                self.responses[message.get("id")] = message
            if wanted(message):
                return at, message

    def response(self, request_id: int, timeout: float = 600) -> tuple[float, Any]:
        if request_id in self.responses:
            return time.perf_counter(), self.responses.pop(request_id)
        return self.wait(lambda m: "method" not in m and m.get("id") == request_id, timeout)

    def initialize(
        self, options: dict[str, Any] | None = None, client: dict[str, Any] | None = None
    ) -> float:
        """Initialize as `client` (capabilities and clientInfo; default: a bare client); the
        seconds from process start to the initialize response."""
        client = client or {"capabilities": {"window": {"workDoneProgress": True}}}
        request_id = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": None,
                **client,
                "initializationOptions": {"zaws": options or {}},
            },
        )
        at, _ = self.response(request_id)
        self.send({"method": "initialized", "params": {}})
        return at - self.started

    def cpu_seconds(self) -> float:
        """User + system CPU time the server has used so far (Linux /proc)."""
        stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        try:
            request_id = self.request("shutdown", None)
            self.response(request_id, timeout=30)
            self.send({"method": "exit"})
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def summary(label: str, seconds: list[float], target_ms: float | None = None) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    verdict = (
        "" if target_ms is None else (" OK" if p95 <= target_ms else f" OVER {target_ms:g} ms")
    )
    return (
        f"{label}: n={len(ms)} median={statistics.median(ms):.1f} ms p95={p95:.1f} ms "
        f"max={ms[-1]:.1f} ms{verdict}"
    )


def vscode_client() -> dict[str, Any]:
    """What VS Code sends in `initialize` (capabilities and clientInfo, as recorded by
    pytest-lsp): ~5 kB that pygls must structure, ~0.1 s more than a bare client here."""
    import pytest_lsp

    recorded = Path(pytest_lsp.__file__).parent / "clients" / "visual_studio_code_v1.65.2.json"
    client: dict[str, Any] = json.loads(recorded.read_text())
    return client


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"(machine: {os.cpu_count()} CPUs, load average {one:.1f}/{five:.1f})"


def file_uri(path: Path) -> str:
    from zaws.service.uris import uri_from_path

    return uri_from_path(path)
