"""Content-Length framing (LSP's base protocol) over byte streams, with a size limit.

Shared by both servers. A frame whose declared length exceeds the limit is read and discarded in
chunks (never held in memory), and reported as oversized so the server can answer with an error
and keep serving. Only the `Content-Length` header is interpreted; others are skipped.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import IO

DEFAULT_LIMIT = 8 * 1024 * 1024
MAX_HEADER_LINE = 8192
_CHUNK = 64 * 1024
_ID_PREFIX = re.compile(
    rb'^\s*\{\s*(?:"jsonrpc"\s*:\s*"[^"]*"\s*,\s*)?"id"\s*:\s*(-?\d+|"[^"\\]*")'
)


@dataclass(frozen=True)
class Frame:
    """One message's body, or why it could not be read (with the request's id when known)."""

    body: bytes = b""
    error: str | None = None
    request_id: int | str | None = None


def read_frame(stream: IO[bytes], limit: int = DEFAULT_LIMIT) -> Frame | None:
    """The next frame, or None at the end of the stream."""
    length: int | None = None
    bad_header: str | None = None
    saw_any = False
    while True:
        line = stream.readline(MAX_HEADER_LINE)
        if not line:
            return Frame(error="The stream ended inside a header") if saw_any else None
        saw_any = True
        if line in (b"\r\n", b"\n"):
            break
        if not line.endswith(b"\n"):
            bad_header = "A header line is too long"
            _skip_line(stream)
            continue
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            bad_header = f"Malformed header line {line[:60]!r}"
        elif name.strip().lower() == "content-length":
            text = value.strip()
            if text.isdigit() and len(text) < 19:
                length = int(text)
            else:
                bad_header = f"Invalid Content-Length {text[:30]!r}"
    if length is None:
        return Frame(error=bad_header or "Missing Content-Length header")
    if length > limit:
        head = _discard(stream, length)
        return Frame(
            error=f"Message of {length} bytes exceeds the limit of {limit} bytes",
            request_id=_guess_id(head),
        )
    body = _read_exactly(stream, length)
    if len(body) < length:
        return Frame(error="The stream ended inside a message")
    if bad_header:
        return Frame(error=bad_header, request_id=_guess_id(body[:4096]))
    return Frame(body=body)


class FrameWriter:
    """Writes framed messages; safe to call from several threads."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, body: bytes) -> None:
        header = f"Content-Length: {len(body)}\r\n\r\n".encode("ascii")
        with self._lock:
            self._stream.write(header + body)
            self._stream.flush()

    def close(self) -> None:
        with self._lock:
            self._stream.close()


def _read_exactly(stream: IO[bytes], length: int) -> bytes:
    parts = []
    remaining = length
    while remaining > 0:
        chunk = stream.read(min(remaining, _CHUNK))
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def _discard(stream: IO[bytes], length: int) -> bytes:
    """Skip `length` bytes; return the first few KB (to find the request id)."""
    head = _read_exactly(stream, min(length, 4096))
    remaining = length - len(head)
    while remaining > 0:
        chunk = stream.read(min(remaining, _CHUNK))
        if not chunk:
            break
        remaining -= len(chunk)
    return head


def _skip_line(stream: IO[bytes]) -> None:
    while True:
        rest = stream.readline(MAX_HEADER_LINE)
        if not rest or rest.endswith(b"\n"):
            return


def _guess_id(head: bytes) -> int | str | None:
    """The id of a request whose body starts `{"jsonrpc": "2.0", "id": ...` (best effort)."""
    match = _ID_PREFIX.match(head)
    if not match:
        return None
    raw = match.group(1)
    return raw[1:-1].decode("utf-8", "replace") if raw.startswith(b'"') else int(raw)
