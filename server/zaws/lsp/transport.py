"""The language server's stdio loop: framing with a size limit, and an answer to every bad message.

pygls' own loop drops what it cannot parse without answering, so a client waiting for a malformed
request's response would wait forever. This loop reads frames on a daemon thread (a blocked read
never holds up exit), and answers parse errors, invalid envelopes, oversized messages and batches
(LSP has none) with a JSON-RPC error carrying the request's id when it is known. Valid messages go
to pygls unchanged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any, BinaryIO

from pygls.exceptions import JsonRpcException

from zaws.lsp.protocol import ZawsProtocol
from zaws.rpc.envelope import request_problem, response_problem, usable_id
from zaws.rpc.framing import DEFAULT_LIMIT, Frame, read_frame

log = logging.getLogger(__name__)

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INTERNAL_ERROR = -32603


class ProtocolWriter:
    """pygls' writer interface over a thread-safe FrameWriter (pygls adds its own header)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, data: bytes) -> None:
        with self._lock:
            if self._stream.closed:  # after `exit`: answers to requests it cut short go nowhere
                return
            self._stream.write(data)
            self._stream.flush()

    def close(self) -> None:
        with self._lock:
            self._stream.close()


async def serve(
    protocol: ZawsProtocol, stdin: BinaryIO, stdout: BinaryIO, limit: int = DEFAULT_LIMIT
) -> None:
    """Serve until the input ends or the client sends `exit` (which raises SystemExit)."""
    protocol.set_writer(ProtocolWriter(stdout), include_headers=True)
    loop = asyncio.get_running_loop()
    frames: asyncio.Queue[Frame | None] = asyncio.Queue()

    def pump() -> None:
        while True:
            try:
                frame = read_frame(stdin, limit)
            except (OSError, ValueError):
                frame = None
            loop.call_soon_threadsafe(frames.put_nowait, frame)
            if frame is None:
                return

    threading.Thread(target=pump, name="zaws-lsp-stdin", daemon=True).start()
    while (frame := await frames.get()) is not None:
        handle_frame(protocol, frame)
        await asyncio.sleep(0)  # let handlers scheduled by this message start
    protocol.on_input_closed()


def handle_frame(protocol: ZawsProtocol, frame: Frame) -> None:
    if frame.error is not None:
        send_error(protocol, frame.request_id, INVALID_REQUEST, frame.error)
        return
    try:
        data = json.loads(frame.body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as err:
        send_error(protocol, None, PARSE_ERROR, f"Parse error: {err}"[:300])
        return
    problem = envelope_problem(data)
    request_id = usable_id(data)
    if problem is not None:
        if _expects_answer(data):
            send_error(protocol, request_id, INVALID_REQUEST, f"Invalid request: {problem}")
        else:
            log.warning("ignoring an invalid message: %s", problem)
        return
    is_request = "method" in data and "id" in data
    try:
        message = protocol.structure_message(data)
        if is_request and not hasattr(message, "id"):
            what = f"{data['method']} is a notification: it takes no id"
            send_error(protocol, request_id, INVALID_REQUEST, f"Invalid request: {what}")
            return
        protocol.handle_message(message)
    except JsonRpcException as err:
        if is_request:
            send_error(protocol, request_id, err.code, err.message or type(err).__name__)
        else:
            log.warning("ignoring a message pygls could not read: %s", err)
    except Exception as err:
        log.exception("failed to handle a message")
        if is_request:
            send_error(protocol, request_id, INTERNAL_ERROR, f"Internal error: {err}"[:300])


def envelope_problem(data: Any) -> str | None:
    """Why `data` is not a JSON-RPC 2.0 request, notification or response (None: it is one)."""
    if isinstance(data, list):
        return "batches are not part of LSP; send one message per frame"
    if isinstance(data, dict) and "method" not in data and data.get("jsonrpc") == "2.0":
        return response_problem(data)
    return request_problem(data)


def send_error(protocol: ZawsProtocol, request_id: object, code: int, message: str) -> None:
    error = {"code": code, "message": message}
    protocol.send_raw({"jsonrpc": "2.0", "id": request_id, "error": error})


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _expects_answer(data: Any) -> bool:
    """Requests, and anything too broken to tell (JSON-RPC answers those with id null).

    Notifications and (broken) responses get no answer: answering a response could loop.
    """
    if not isinstance(data, dict):
        return True
    if "method" in data:
        return "id" in data
    return not ("result" in data or "error" in data)
