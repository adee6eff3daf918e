"""What makes a JSON value a JSON-RPC 2.0 message, judged before any dispatching.

Shared by both servers so they refuse the same things with the same words, and answer an invalid
request with its id whenever the id itself is usable (a string or an integer).
"""

from __future__ import annotations

from typing import Any


def valid_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def usable_id(message: Any) -> int | str | None:
    """The message's id if it is a usable one, else None (the id an error answer carries)."""
    if isinstance(message, dict) and valid_id(message.get("id")):
        found: int | str = message["id"]
        return found
    return None


def request_problem(message: Any) -> str | None:
    """Why `message` is not a request or notification (None: it is one). `params: null` counts
    as no params, as several clients send it."""
    if not isinstance(message, dict):
        return "a message must be a JSON object"
    if message.get("jsonrpc") != "2.0":
        return 'the "jsonrpc" member must be "2.0"'
    if "id" in message and not valid_id(message["id"]):
        return '"id" must be a string or an integer'
    if "method" not in message:
        return 'a request needs a "method"'
    if not isinstance(message["method"], str) or not message["method"]:
        return '"method" must be a non-empty string'
    if message.get("params") is not None and not isinstance(message["params"], dict | list):
        return '"params" must be an object or an array'
    return None


def response_problem(message: dict[str, Any]) -> str | None:
    """Why a message without a method is not a response (None: it is one)."""
    if not valid_id(message.get("id")):
        return 'a message needs a "method" or an "id"'
    if ("result" in message) == ("error" in message):
        return 'a response needs exactly one of "result" and "error"'
    error = message.get("error")
    if "error" in message and not (
        isinstance(error, dict)
        and isinstance(error.get("code"), int)
        and not isinstance(error.get("code"), bool)
        and isinstance(error.get("message"), str)
    ):
        return 'a response "error" needs an integer "code" and a string "message"'
    return None
