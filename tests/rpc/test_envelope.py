import pytest

from zaws.rpc.envelope import request_problem, response_problem, usable_id


@pytest.mark.parametrize(
    "message",
    [
        {"jsonrpc": "2.0", "method": "m"},
        {"jsonrpc": "2.0", "method": "m", "id": "x", "params": None},
        {"jsonrpc": "2.0", "method": "m", "id": 0, "params": []},
    ],
)
def test_valid_requests(message: object) -> None:
    assert request_problem(message) is None


@pytest.mark.parametrize(
    "message",
    [
        [],
        {"method": "m"},
        {"jsonrpc": "2.0", "method": "m", "id": 1.5},
        {"jsonrpc": "2.0", "method": "m", "id": True},
        {"jsonrpc": "2.0", "method": ""},
        {"jsonrpc": "2.0", "method": "m", "params": 3},
    ],
)
def test_invalid_requests(message: object) -> None:
    assert request_problem(message) is not None


def test_usable_ids() -> None:
    assert usable_id({"id": 3}) == 3 and usable_id({"id": "a"}) == "a"
    assert usable_id({"id": None}) is None and usable_id({"id": False}) is None
    assert usable_id([1]) is None


def test_responses() -> None:
    assert response_problem({"jsonrpc": "2.0", "id": 1, "result": None}) is None
    assert response_problem({"jsonrpc": "2.0", "id": 1, "result": 1, "error": {}}) is not None
    assert response_problem({"jsonrpc": "2.0", "id": 1, "error": {"code": "x"}}) is not None
