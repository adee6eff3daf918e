"""Content-Length framing: frames, partial streams, bad headers and the size limit."""

from __future__ import annotations

import io

from zaws.rpc.framing import FrameWriter, read_frame


def stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def test_frames_in_sequence_and_the_end() -> None:
    data = b"Content-Length: 2\r\n\r\n{}Content-Length: 4\r\nContent-Type: x\r\n\r\nnull"
    source = stream(data)
    first, second = read_frame(source), read_frame(source)
    assert first is not None and first.body == b"{}"
    assert second is not None and second.body == b"null"
    assert read_frame(source) is None


def test_bare_newlines_and_header_case_are_accepted() -> None:
    frame = read_frame(stream(b"content-length:  2\n\n[]"))
    assert frame is not None and frame.body == b"[]"


def test_missing_or_invalid_length() -> None:
    for header in (b"Content-Type: x\r\n\r\n", b"Content-Length: -3\r\n\r\n", b"junk\r\n\r\n"):
        frame = read_frame(stream(header))
        assert frame is not None and frame.error is not None


def test_oversized_body_is_skipped_and_its_id_guessed() -> None:
    body = b'{"jsonrpc": "2.0", "id": 42, "method": "m", "params": "' + b"x" * 100 + b'"}'
    data = b"Content-Length: %d\r\n\r\n" % len(body) + body + b"Content-Length: 2\r\n\r\n{}"
    source = stream(data)
    frame = read_frame(source, limit=50)
    assert (
        frame is not None and frame.request_id == 42 and "exceeds the limit" in (frame.error or "")
    )
    after = read_frame(source, limit=50)
    assert after is not None and after.body == b"{}"


def test_truncated_streams() -> None:
    for data in (b"Content-Length: 10\r\n\r\n{}", b"Content-Length: 10\r\n"):
        frame = read_frame(stream(data))
        assert frame is not None and frame.error is not None


def test_overlong_header_line() -> None:
    frame = read_frame(stream(b"X" * 10000 + b"\r\nContent-Length: 2\r\n\r\n{}"))
    assert frame is not None and frame.error == "A header line is too long"


def test_writer_frames_bodies() -> None:
    out = io.BytesIO()
    FrameWriter(out).write("é".encode())
    assert out.getvalue() == b"Content-Length: 2\r\n\r\n\xc3\xa9"
