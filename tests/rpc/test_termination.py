"""SIGTERM to either server, with simulated devices and a subscription running: each disconnects
cleanly before the process exits, as the emulator's lifecycle events show."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.rpc.notifying_client import NotifyingClient
from tests.rpc.raw import RawServer
from tests.support.presence_watch import PresenceWatch
from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things
from zaws.service.uris import uri_from_path

INITIALIZE = {
    "processId": None,
    "capabilities": {},
    "initializationOptions": {"zaws": {"local": True, "remoteChecks": False}},
}


@pytest.mark.parametrize("server_args", [["rpc"], ["serve"]])
def test_sigterm_disconnects_every_device_and_subscription(
    aws: AwsSettings, zaws_home: Path, project: Path, tmp_path: Path, server_args: list[str]
) -> None:
    add_things(project, aws=aws, base_name="board", count=2)
    uri = uri_from_path(project)
    presence = PresenceWatch(project, aws)
    server = RawServer(server_args, zaws_home, cwd=tmp_path)
    try:
        client = NotifyingClient(server)
        if server_args == ["serve"]:
            assert "result" in client.call("initialize", INITIALIZE)
            server.send_json({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        client.result("zaws/startDevices", {"projectUri": uri, "allThings": True})
        watch = client.result("zaws/subscribe", {"projectUri": uri, "filters": ["#"]})
        for thing in ("board_0", "board_1"):
            client.notified(
                "zaws/deviceEvent", lambda p, t=thing: p["thing"] == t and p["kind"] == "subscribed"
            )
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=60) == 128 + signal.SIGTERM
        gone = presence.disconnected(["board_0", "board_1", watch["clientId"]])
    finally:
        presence.close()
        server.close()
    for client_id, disconnected in gone.items():
        assert disconnected["clientInitiatedDisconnect"] is True, (client_id, disconnected)
