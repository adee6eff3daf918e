"""A raw Content-Length client for a server subprocess, for what a polite client never sends.

Used by the transport and fuzz tests of both servers. Frames are read on a thread into a queue,
so a test waits for a message with a timeout instead of sleeping.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zaws.rpc.framing import read_frame


class RawServer:
    def __init__(
        self, args: list[str], zaws_home: Path, cwd: Path | None = None, stderr: Any = None
    ) -> None:
        env = {**os.environ, "ZAWS_HOME": str(zaws_home), "ZAWS_LOCAL": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "zaws", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if stderr is None else stderr,
            env=env,
            cwd=cwd,
        )
        self.messages: queue.Queue[Any] = queue.Queue()
        self.raw: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while (frame := read_frame(self.process.stdout, 1 << 30)) is not None:
            self.raw.append(frame.body)
            try:
                self.messages.put(json.loads(frame.body))
            except ValueError:
                self.messages.put(("not json", frame.body))
        self.messages.put(None)

    def send(self, body: bytes, header: bytes | None = None) -> None:
        assert self.process.stdin is not None
        head = header if header is not None else b"Content-Length: %d\r\n\r\n" % len(body)
        self.process.stdin.write(head + body)
        self.process.stdin.flush()

    def send_json(self, message: Any) -> None:
        self.send(json.dumps(message).encode())

    def next(self, timeout: float = 30) -> Any:
        return self.messages.get(timeout=timeout)

    def response(self, request_id: Any, timeout: float = 60) -> dict[str, Any]:
        """The response to `request_id`, skipping the server's own requests and notifications."""
        found: dict[str, Any] = self.wait_for(
            lambda m: "method" not in m and m.get("id") == request_id, timeout
        )
        return found

    def wait_for(self, wanted: Callable[[dict[str, Any]], bool], timeout: float = 60) -> Any:
        while True:
            message = self.next(timeout)
            if message is None:
                raise EOFError("the server closed its output")
            if isinstance(message, dict) and wanted(message):
                return message

    def close(self) -> int:
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            return self.process.wait(timeout=60)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def well_formed_response(message: Any) -> bool:
    """A JSON-RPC 2.0 response: an id, and exactly one of a result and a proper error."""
    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0" or "id" not in message:
        return False
    if ("result" in message) == ("error" in message):
        return False
    if "error" in message:
        error = message["error"]
        return (
            isinstance(error, dict)
            and isinstance(error.get("code"), int)
            and isinstance(error.get("message"), str)
        )
    return True
