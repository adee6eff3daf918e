"""Bad traffic at the language server's door: every request gets a JSON-RPC error with its id
when it can be known, junk gets an error with id null, and the server keeps serving."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.rpc.raw import RawServer, well_formed_response


@pytest.fixture
def lsp(zaws_home: Path, tmp_path: Path) -> Iterator[RawServer]:
    server = RawServer(["serve", "--max-message-bytes", "2000"], zaws_home, cwd=tmp_path)
    server.send_json(
        {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}}
    )
    assert "result" in server.response(0)
    server.send_json({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    yield server
    server.close()


def error_for(server: RawServer, request_id: Any) -> dict[str, Any]:
    response = server.response(request_id)
    assert well_formed_response(response) and "error" in response, response
    return dict(response["error"])


def test_parse_error_has_id_null(lsp: RawServer) -> None:
    lsp.send(b'{"jsonrpc": "2.0", "id": 1, "method": ')
    assert error_for(lsp, None)["code"] == -32700
    lsp.send(b'{"jsonrpc": "2.0", "id": NaN, "method": "x"}')
    assert error_for(lsp, None)["code"] == -32700
    lsp.send_json({"jsonrpc": "2.0", "id": 2, "method": "zaws/noSuch"})
    assert error_for(lsp, 2)["code"] == -32601


@pytest.mark.parametrize(
    ("message", "request_id"),
    [
        ({"jsonrpc": "1.0", "id": 3, "method": "zaws/listThings"}, 3),
        ({"jsonrpc": "2.0", "id": 4, "method": 5}, 4),
        ({"jsonrpc": "2.0", "id": 5, "method": "zaws/listThings", "params": "x"}, 5),
        ({"jsonrpc": "2.0", "id": 6, "method": "initialized", "params": {}}, 6),
        ({"jsonrpc": "2.0", "id": [7], "method": "zaws/listThings"}, None),
        ([{"jsonrpc": "2.0", "id": 8, "method": "zaws/listThings"}], None),
        ("just a string", None),
        ({"jsonrpc": "2.0"}, None),
    ],
)
def test_invalid_requests(lsp: RawServer, message: Any, request_id: Any) -> None:
    lsp.send_json(message)
    assert error_for(lsp, request_id)["code"] == -32600


def test_lsp_request_with_wrong_params(lsp: RawServer) -> None:
    lsp.send_json({"jsonrpc": "2.0", "id": 9, "method": "textDocument/codeLens", "params": {}})
    assert error_for(lsp, 9)["code"] == -32602


def test_oversized_message_is_refused_and_skipped(lsp: RawServer) -> None:
    big = {"jsonrpc": "2.0", "id": 10, "method": "zaws/listThings", "params": {"x": "y" * 5000}}
    lsp.send_json(big)
    error = error_for(lsp, 10)
    assert error["code"] == -32600 and "exceeds the limit of 2000 bytes" in error["message"]
    lsp.send_json({"jsonrpc": "2.0", "id": 11, "method": "zaws/listThings", "params": {}})
    assert error_for(lsp, 11)["code"] == -32602


def test_bad_headers(lsp: RawServer) -> None:
    lsp.send(b"", header=b"Content-Type: x\r\n\r\n")
    assert "Content-Length" in error_for(lsp, None)["message"]
    body = json.dumps({"jsonrpc": "2.0", "id": 12, "method": "zaws/listThings"}).encode()
    lsp.send(body, header=b"Content-Length: %d\r\nBroken header\r\n\r\n" % len(body))
    assert error_for(lsp, 12)["code"] == -32600
    lsp.send_json({"jsonrpc": "2.0", "id": 13, "method": "zaws/listThings", "params": {}})
    assert error_for(lsp, 13)["code"] == -32602


def test_exit_codes(lsp: RawServer) -> None:
    lsp.send_json({"jsonrpc": "2.0", "id": 14, "method": "shutdown"})
    assert lsp.response(14)["result"] is None
    lsp.send_json({"jsonrpc": "2.0", "method": "exit"})
    assert lsp.process.wait(timeout=30) == 0


def test_exit_without_shutdown_is_an_error_exit(lsp: RawServer) -> None:
    lsp.send_json({"jsonrpc": "2.0", "method": "exit"})
    assert lsp.process.wait(timeout=30) == 1


def test_end_of_input_ends_the_server(lsp: RawServer) -> None:
    assert lsp.close() == 0
