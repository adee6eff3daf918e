"""A raw WebSocket client for the WebSocket listener's fault tests: it sends whatever bytes it is
given after TLS (an upgrade request, frames, MQTT inside them, any of it malformed), answers the
server's Close frame as RFC 6455 asks, and reads until the server ends the connection; then it
says what the server sent (the HTTP status, its frames, the MQTT bytes of its binary frames), each
checked for being well-formed.

Frames are encoded here (RFC 6455 section 5.2) rather than by a library, so they can be wrong.
`completed` pads a client stream that ends inside a frame, as the server reads frames
(websockets' `Frame.parse`: an invalid opcode, wrong masking or an over-long length is an error
as soon as the header is read), and ends it with a header the server refuses at once, so that any
stream makes the server close.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import ssl
import time
from dataclasses import dataclass, field

from tests.emulator.data_plane.emulator_process import WAIT_S, Emulator

OPCODES = {0x0, 0x1, 0x2, 0x8, 0x9, 0xA}  # continuation, text, binary, close, ping, pong
BINARY, CLOSE = 0x2, 0x8
REFUSED_AT_ONCE = b"\x8f\x80"  # FIN, opcode 0xF (reserved): a protocol error after two bytes


def upgrade_request(path: str, host: str, key: bytes | None = None) -> bytes:
    """The HTTP request that opens MQTT over WebSocket, as paho and awscrt send it."""
    key_text = base64.b64encode(key or os.urandom(16)).decode()
    return (
        f"GET {path} HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Upgrade: websocket\r\n"
        "Connection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key_text}\r\n"
        "Sec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: mqtt\r\n"
        "\r\n"
    ).encode()


def frame(
    opcode: int,
    payload: bytes,
    *,
    fin: bool = True,
    rsv: int = 0,
    masked: bool = True,
    mask: bytes = b"\x00\x00\x00\x00",
    length: int | None = None,
) -> bytes:
    """One frame; `length` declares a payload length other than the payload's."""
    declared = len(payload) if length is None else length
    head = bytes([(0x80 if fin else 0) | (rsv & 0x7) << 4 | (opcode & 0xF)])
    bit = 0x80 if masked else 0
    if declared < 126:
        head += bytes([bit | declared])
    elif declared < 1 << 16:
        head += bytes([bit | 126]) + declared.to_bytes(2, "big")
    else:
        head += bytes([bit | 127]) + declared.to_bytes(8, "big")
    if not masked:
        return head + payload
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def _frame_end(data: bytes, at: int, max_size: int) -> int | None:
    """Where the frame that starts at `at` ends, as far as its bytes so far tell (maybe past the
    data); None when its header is already an error (the server reads no further)."""
    if len(data) - at < 2:
        return at + 2
    head1, head2 = data[at], data[at + 1]
    if head1 & 0xF not in OPCODES or not head2 & 0x80:
        return None
    length, start = head2 & 0x7F, at + 2
    extra = {126: 2, 127: 8}.get(length, 0)
    if len(data) < start + extra:
        return start + extra
    if extra:
        length = int.from_bytes(data[start : start + extra], "big")
    if length > max_size:
        return None
    return start + extra + 4 + length


def completed(data: bytes, max_size: int) -> bytes:
    """`data` (client frames) padded to a frame boundary, then a frame refused at once."""
    at = 0
    while at < len(data):
        end = _frame_end(data, at, max_size)
        if end is None:
            break
        if end > len(data):
            data += b"\x00" * (end - len(data))  # then read its header again
            continue
        at = end
    return data + REFUSED_AT_ONCE


@dataclass
class ServerAnswer:
    status: int | None = None  # None: no HTTP response at all
    frames: list[tuple[int, bytes]] = field(default_factory=list)  # (opcode, payload)
    head: bytes = b""

    @property
    def mqtt(self) -> bytes:
        return b"".join(payload for opcode, payload in self.frames if opcode == BINARY)


def _server_frame(data: bytes) -> tuple[int, bytes, int] | None:
    """(opcode, payload, size) of the server frame at the start of `data`, None if incomplete;
    an AssertionError if it is not what a server may send (RFC 6455 5.1, 5.2)."""
    if len(data) < 2:
        return None
    head1, head2 = data[0], data[1]
    assert head1 & 0x70 == 0, f"reserved bits set in {data[:8]!r}"
    assert head1 & 0x80, "a fragmented server frame"  # the emulator sends whole messages
    assert head1 & 0xF in OPCODES - {0x0, 0x1}, f"opcode {head1 & 0xF:#x} from the server"
    assert not head2 & 0x80, "a masked server frame"
    length, start = head2 & 0x7F, 2
    if length in (126, 127):
        extra = 2 if length == 126 else 8
        if len(data) < 2 + extra:
            return None
        length, start = int.from_bytes(data[2 : 2 + extra], "big"), 2 + extra
    if len(data) < start + length:
        return None
    return head1 & 0xF, bytes(data[start : start + length]), start + length


async def converse(emulator: Emulator, request: bytes, frames: bytes = b"") -> ServerAnswer:
    """Send `request` on the WebSocket port after TLS and, once the server has answered it with
    101, `frames`; read until the server closes (within WAIT_S, else the test fails), answering
    its Close frame with one of ours. (Sent at once, frames the server had not read when it
    closed would make its kernel reset the connection, and the 101 could be lost with them.)"""
    context = ssl.create_default_context(cafile=emulator.endpoint.ca_file)
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(
            emulator.endpoint.host,
            emulator.endpoint.ws_port,
            ssl=context,
            server_hostname=emulator.endpoint.server_name,
        ),
        WAIT_S,
    )
    answer, pending, reset = ServerAnswer(), b"", False
    deadline = time.monotonic() + WAIT_S
    try:
        writer.write(request)
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"the server kept the connection open: {answer}"
            try:
                chunk = await asyncio.wait_for(reader.read(65536), remaining)
            except (ConnectionError, ssl.SSLError):
                reset = True  # what the server sent after its last whole frame may be lost
                break
            except TimeoutError:
                continue
            if not chunk:
                break
            pending += chunk
            if answer.status is None:
                if b"\r\n\r\n" not in pending:
                    continue
                answer.head, _, pending = pending.partition(b"\r\n\r\n")
                assert answer.head.startswith(b"HTTP/1.1 "), answer.head[:60]
                answer.status = int(answer.head.split(b" ", 2)[1])
                if answer.status == 101 and frames:
                    writer.write(frames)
            if answer.status != 101:
                continue  # a refusal: its body, then the end
            while (parsed := _server_frame(pending)) is not None:
                opcode, payload, size = parsed
                pending = pending[size:]
                answer.frames.append((opcode, payload))
                if opcode == CLOSE:
                    with contextlib.suppress(ConnectionError, RuntimeError):
                        writer.write(frame(CLOSE, payload[:2]))
        if answer.status == 101 and not reset:
            assert not pending, f"a truncated server frame {pending[:20]!r}"
        return answer
    finally:
        writer.close()
