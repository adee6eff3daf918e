"""pygls' protocol with zaws/* params kept as plain JSON, and a hook for the end of the input.

pygls turns the params of methods it does not know into namedtuples (a missing key then raises
AttributeError, and keys that are not identifiers are renamed). The service layer validates plain
dicts with clear messages, so zaws/* requests and notifications skip that conversion, and
their results (plain JSON) skip cattrs on the way out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from pygls.protocol import LanguageServerProtocol

ZAWS_PREFIX = "zaws/"


@attrs.define
class ZawsRequest:
    id: int | str
    method: str
    jsonrpc: str
    params: Any


@attrs.define
class ZawsNotification:
    method: str
    jsonrpc: str
    params: Any


class ZawsProtocol(LanguageServerProtocol):
    input_closed_callbacks: list[Callable[[], None]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.input_closed_callbacks = []

    def structure_message(self, data: dict[str, Any]) -> Any:
        method = data.get("method")
        if isinstance(method, str) and method.startswith(ZAWS_PREFIX):
            if "id" in data:
                return ZawsRequest(data["id"], method, data["jsonrpc"], data.get("params"))
            return ZawsNotification(method, data["jsonrpc"], data.get("params"))
        return super().structure_message(data)

    def _send_response(
        self, msg_id: Any, result: Any | None = None, error: Any | None = None
    ) -> None:
        # zaws/* results are plain JSON already: skip cattrs' deep unstructuring, which costs
        # ~20 ms for a 1000-thing listing.
        if error is None and type(result) is dict:
            self._send_data({"jsonrpc": "2.0", "id": msg_id, "result": result})
            return
        super()._send_response(msg_id, result, error)

    def send_raw(self, message: dict[str, Any]) -> None:
        """Send a message built by hand (errors for messages pygls could not read)."""
        self._send_data(message)

    def on_input_closed(self) -> None:
        for callback in self.input_closed_callbacks:
            callback()
