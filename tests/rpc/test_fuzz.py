"""At least 1,000 random and malformed messages to `zaws rpc`: every request with a usable id is
answered, every response is well-formed JSON-RPC, and the server is alive at the end."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rpc.fuzz_messages import message
from tests.rpc.raw import RawServer, well_formed_response

MESSAGES = 1000


def responses_of(message: Any) -> list[Any]:
    return message if isinstance(message, list) else [message]


def test_random_traffic(zaws_home: Path, tmp_path: Path) -> None:
    server = RawServer(["rpc", "--max-message-bytes", "4096"], zaws_home, cwd=tmp_path)
    ids = itertools.count(1000)
    sent: list[int] = []

    @settings(
        max_examples=MESSAGES // 3,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(st.lists(message(lambda: next(ids)), min_size=3, max_size=6))
    def traffic(batch: list[tuple[bytes, Any]]) -> None:
        owed = set()
        for body, request_id in batch:
            server.send(body)
            sent.append(1)
            if request_id is not None:
                owed.add(request_id)
        # Requests run in order: a final request flushes every answer before it.
        server.send_json({"jsonrpc": "2.0", "id": "flush", "method": "zaws/listThings"})
        while True:
            received = server.next()
            assert received is not None, "the server exited"
            for response in responses_of(received):
                assert well_formed_response(response), response
                owed.discard(response["id"])
            if any(r.get("id") == "flush" for r in responses_of(received)):
                break
        assert not owed, owed

    try:
        traffic()
        assert len(sent) >= MESSAGES
        assert server.process.poll() is None
    finally:
        assert server.close() == 0
