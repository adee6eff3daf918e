"""A client of `zaws rpc` that keeps the server's notifications while it waits for answers.

`RawServer.response` skips what is not the answer it waits for; simulated devices and
subscriptions send notifications between answers, so this client files them for `notified`.
It also speaks to `zaws serve` raw (LSP's own notifications are filed, not checked).
Every wait is a bounded read of the server's output.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import Any

from tests.protocol.contract import assert_notification_matches, assert_result_matches, contract
from tests.rpc.raw import RawServer

CONTRACT_NOTIFICATIONS = frozenset(n["name"] for n in contract()["x-notifications"])


class NotifyingClient:
    def __init__(self, server: RawServer) -> None:
        self.server = server
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []

    def call(self, method: str, params: Any, timeout: float = 120) -> dict[str, Any]:
        self.next_id += 1
        self.server.send_json(
            {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}
        )
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline)
            if "method" not in message and message.get("id") == self.next_id:
                return message

    def result(self, method: str, params: Any) -> Any:
        answer = self.call(method, params)
        assert "result" in answer, answer
        assert_result_matches(method, answer["result"])
        return answer["result"]

    def notified(
        self,
        method: str,
        wanted: Callable[[dict[str, Any]], bool] = lambda _: True,
        timeout: float = 30,
    ) -> dict[str, Any]:
        """The params of the first `method` notification, received or to come, that `wanted`
        accepts."""
        for message in self.notifications:
            if message["method"] == method and wanted(message["params"]):
                return dict(message["params"])
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline)
            if message.get("method") == method and wanted(message["params"]):
                return dict(message["params"])

    def _next(self, deadline: float) -> dict[str, Any]:
        try:
            message = self.server.next(max(deadline - time.monotonic(), 0.001))
        except queue.Empty:
            raise AssertionError("no such message in time") from None
        if message is None:
            raise EOFError("the server closed its output")
        assert isinstance(message, dict), message
        if "method" in message and "id" not in message:
            if message["method"] in CONTRACT_NOTIFICATIONS:
                assert_notification_matches(message["method"], message["params"])
            self.notifications.append(message)
        return message
