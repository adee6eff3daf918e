"""One exchange with a zaws server over stdio: Content-Length frames in, stdin closed, every frame
the server wrote before it exited read back. The servers answer requests in order and end at EOF,
so a test needs no reader thread and no waiting."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def unframe(stream: bytes) -> list[dict[str, Any]]:
    messages = []
    while stream:
        head, _, rest = stream.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        messages.append(json.loads(rest[:length]))
        stream = rest[length:]
    return messages


def exchange(
    command: list[str], messages: list[dict[str, Any]], *, cwd: Path, env: dict[str, str]
) -> dict[Any, dict[str, Any]]:
    """The responses by id (the server's own notifications and requests are left out)."""
    done = subprocess.run(
        command,
        input=b"".join(frame(m) for m in messages),
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
    answers = {m["id"]: m for m in unframe(done.stdout) if "id" in m and "method" not in m}
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return answers


def request(request_id: int, method: str, params: Any = None) -> dict[str, Any]:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        message["params"] = params
    return message
