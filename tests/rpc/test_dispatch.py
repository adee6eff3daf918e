"""The plain JSON-RPC dispatcher in-process: single requests, batches, notifications, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zaws.rpc.dispatch import RpcDispatcher
from zaws.service.settings import ServerSettings
from zaws.service.uris import uri_from_path


@pytest.fixture
def dispatcher() -> RpcDispatcher:
    return RpcDispatcher(ServerSettings(local=True))


def ask(dispatcher: RpcDispatcher, message: Any) -> Any:
    answer = dispatcher.handle(json.dumps(message).encode())
    return None if answer is None else json.loads(answer)


def request(method: str, params: Any = None, request_id: Any = 1) -> dict[str, Any]:
    message = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        message["params"] = params
    return message


def test_a_request_on_a_project(dispatcher: RpcDispatcher, tmp_path: Path) -> None:
    (tmp_path / "thing.conf.json").write_text('{"endpoint": "", "policy_name": ""}')
    answer = ask(dispatcher, request("zaws/listThings", {"projectUri": uri_from_path(tmp_path)}))
    assert answer["id"] == 1 and answer["result"]["things"] == []


def test_notifications_are_run_and_never_answered(dispatcher: RpcDispatcher) -> None:
    assert ask(dispatcher, {"jsonrpc": "2.0", "method": "zaws/listThings", "params": {}}) is None
    assert ask(dispatcher, {"jsonrpc": "2.0", "method": "zaws/nope"}) is None


def test_batches_answer_each_member(dispatcher: RpcDispatcher) -> None:
    answers = ask(
        dispatcher,
        [
            request("zaws/listThings", {}, "a"),
            {"jsonrpc": "2.0", "method": "zaws/listThings"},
            request("zaws/nope", None, "b"),
            5,
            {"jsonrpc": "2.0", "id": "c", "method": 7},
        ],
    )
    assert [(a["id"], a["error"]["code"]) for a in answers] == [
        ("a", -32602),
        ("b", -32601),
        (None, -32600),
        ("c", -32600),
    ]


def test_a_batch_of_notifications_gets_no_answer(dispatcher: RpcDispatcher) -> None:
    assert ask(dispatcher, [{"jsonrpc": "2.0", "method": "zaws/nope"}]) is None


def test_empty_batch_and_parse_errors(dispatcher: RpcDispatcher) -> None:
    assert ask(dispatcher, [])["error"]["code"] == -32600
    for junk in (b"{", b"\xff\xfe", b'{"id": NaN}', b"[" * 100_000):
        answer = json.loads(dispatcher.handle(junk) or b"null")
        assert answer["error"]["code"] == -32700 and answer["id"] is None


def test_errors_carry_the_zaws_code_and_hint(dispatcher: RpcDispatcher, tmp_path: Path) -> None:
    answer = ask(dispatcher, request("zaws/listThings", {"projectUri": uri_from_path(tmp_path)}))
    assert answer["error"]["code"] == -32012
    assert answer["error"]["data"]["code"] == "zaws.project" and answer["error"]["data"]["hint"]


def test_params_null_is_no_params(dispatcher: RpcDispatcher) -> None:
    answer = ask(
        dispatcher, {"jsonrpc": "2.0", "id": 3, "method": "zaws/listThings", "params": None}
    )
    assert answer["error"]["code"] == -32602 and "projectUri" in answer["error"]["message"]


def test_positional_params_are_refused_clearly(dispatcher: RpcDispatcher) -> None:
    answer = ask(dispatcher, request("zaws/listThings", ["file:///tmp"]))
    assert answer["error"]["code"] == -32602 and "by name" in answer["error"]["message"]
