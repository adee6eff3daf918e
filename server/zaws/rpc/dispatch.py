"""One framed message in, one response out: jsonrpcserver over the service's method table.

jsonrpcserver parses, validates and dispatches a single request. Batches are split here so each
member gets its own answer (jsonrpcserver rejects a whole batch when one member is invalid, leaving
the valid ones unanswered). NaN and Infinity are refused as the parse errors they are in JSON.
Requests run one at a time, in order; notifications are run and never answered, as the spec says.
The dispatcher owns the server's `Background` (simulated devices, subscriptions): what they report
goes out through `notify`, between the answers.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Callable
from typing import Any

from zaws.errors import ZawsError
from zaws.rpc.envelope import request_problem, usable_id
from zaws.service.background import Background
from zaws.service.methods import METHODS, CallContext, call
from zaws.service.notification_params import Notify
from zaws.service.settings import ServerSettings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # importlib.resources.read_text, 3.11
    from jsonrpcserver import Error, Success, dispatch_to_serializable

log = logging.getLogger(__name__)

MEMBERS = frozenset({"jsonrpc", "method", "params", "id"})
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INTERNAL_ERROR = -32603


class RpcDispatcher:
    def __init__(self, settings: ServerSettings, notify: Notify | None = None) -> None:
        self.settings = settings
        self.background = Background.create(notify or _nowhere)
        self.methods: dict[str, Callable[..., Any]] = {
            name: self._handler(name) for name in METHODS
        }

    def handle(self, body: bytes) -> bytes | None:
        """The response to `body` (a request, notification or batch); None when none is due."""
        try:
            message = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as err:
            return _encode(error_response(None, PARSE_ERROR, "Parse error", str(err)[:300]))
        if isinstance(message, list):
            if not message:
                return _encode(
                    error_response(None, INVALID_REQUEST, "Invalid request", "empty batch")
                )
            answers = [a for a in (self._one(item) for item in message) if a is not None]
            return _encode(answers) if answers else None
        answer = self._one(message)
        return None if answer is None else _encode(answer)

    def _one(self, message: Any) -> Any:
        problem = request_problem(message)
        if problem is not None:
            return error_response(usable_id(message), INVALID_REQUEST, "Invalid request", problem)
        # Only the members JSON-RPC defines; `params: null` is no params.
        message = {
            key: value
            for key, value in message.items()
            if key in MEMBERS and (value is not None or key == "id")
        }
        try:
            text = json.dumps(message)
            answer = dispatch_to_serializable(text, methods=self.methods)
        except Exception as err:  # a bug here must not end the session
            log.exception("dispatch failed")
            return error_response(
                usable_id(message), INTERNAL_ERROR, "Internal error", str(err)[:300]
            )
        return answer

    def _handler(self, name: str) -> Callable[..., Any]:
        def handle(*args: Any, **kwargs: Any) -> Any:
            params: object = list(args) if args else kwargs
            context = CallContext(aws=self.settings.aws(), background=self.background)
            try:
                return Success(call(name, params, context))
            except ZawsError as err:
                return Error(err.rpc_code, err.one_line(), err.to_dict())

        return handle


def error_response(request_id: Any, code: int, message: str, data: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    return {"jsonrpc": "2.0", "error": error, "id": request_id}


def _nowhere(method: str, params: dict[str, Any]) -> None:
    """No transport to tell: notifications of a dispatcher used on its own are dropped."""


def _encode(answer: Any) -> bytes:
    return json.dumps(answer).encode("utf-8")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")
