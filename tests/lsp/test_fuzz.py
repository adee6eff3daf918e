"""At least 1,000 random and malformed messages to one language server: every request with a
usable id is answered with a well-formed response, every response is well-formed, and the server
is alive at the end."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rpc.fuzz_messages import message
from tests.rpc.raw import RawServer, well_formed_response

MESSAGES = 1000


def test_random_traffic(zaws_home: Path, tmp_path: Path) -> None:
    server = RawServer(["serve", "--max-message-bytes", "4096"], zaws_home, cwd=tmp_path)
    ids = itertools.count(1000)
    sent: list[int] = []
    server.send_json(
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    )
    assert "result" in server.response(1)

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
        while owed:
            response = server.wait_for(lambda m: "method" not in m, timeout=20)
            assert well_formed_response(response), response
            owed.discard(response["id"])

    try:
        traffic()
        assert len(sent) >= MESSAGES
        server.send_json({"jsonrpc": "2.0", "id": "alive", "method": "shutdown"})
        assert server.response("alive")["result"] is None
        server.send_json({"jsonrpc": "2.0", "method": "exit"})
        assert server.process.wait(timeout=30) == 0
    finally:
        server.close()
