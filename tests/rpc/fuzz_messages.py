"""Hypothesis strategies for random and malformed JSON-RPC traffic (shared by both servers)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from zaws.service.methods import METHODS

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
SAFE_LSP_METHODS = [
    "textDocument/didOpen",
    "textDocument/didChange",
    "textDocument/codeLens",
    "textDocument/hover",
    "workspace/didChangeConfiguration",
    "workspace/executeCommand",
    "window/workDoneProgress/cancel",
    "$/cancelRequest",
    "$/setTrace",
    "initialized",
]
METHOD_NAMES = st.sampled_from(sorted(METHODS) + SAFE_LSP_METHODS) | st.text(max_size=15)
PROJECT_URIS = st.sampled_from(["file:///nonexistent", "/tmp", "file:///", "http://x/y", ""])


def zaws_params() -> st.SearchStrategy[Any]:
    """Params that look like ours, often wrong (never a real project: nothing is created)."""
    keys = st.sampled_from(["projectUri", "baseName", "count", "thingId", "remote", "confirm", "x"])
    return st.dictionaries(keys, JSON | PROJECT_URIS, max_size=4) | JSON


@st.composite
def message(draw: st.DrawFn, next_id: Any) -> tuple[bytes, Any]:
    """(the frame's body, the id a response must carry, or None when none is owed by id)."""
    kind = draw(
        st.sampled_from(
            ["request", "request", "notification", "junk-json", "junk-bytes", "batch", "envelope"]
        )
    )
    if kind == "junk-bytes":
        return draw(st.binary(max_size=40)), None
    if kind == "junk-json":
        return json.dumps(draw(JSON)).encode(), None
    method = draw(METHOD_NAMES)
    params = draw(zaws_params() if method.startswith("zaws/") else JSON)
    body: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
    if draw(st.booleans()):
        body["params"] = params
    if kind == "notification":
        return json.dumps(body).encode(), None
    if kind == "envelope":
        body.update(
            draw(
                st.dictionaries(
                    st.sampled_from(["jsonrpc", "id", "method", "result", "error"]),
                    JSON,
                    max_size=3,
                )
            )
        )
        return json.dumps(body).encode(), None
    request_id = next_id()
    body["id"] = request_id
    if kind == "batch":
        return json.dumps([body, draw(JSON)]).encode(), None
    return json.dumps(body).encode(), request_id
