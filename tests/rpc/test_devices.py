"""Simulated devices and topic subscriptions over `zaws rpc`, against the emulator: its
notifications come between its answers, as the contract says, and when its input ends every
device and subscription disconnects cleanly before the process exits; a device stopped while it
waits for an answer stops at once, and its stop answers only once it has."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.rpc.notifying_client import NotifyingClient
from tests.rpc.raw import RawServer
from tests.support.policy_denials import deny_receiving_jobs_answers
from tests.support.presence_watch import PresenceWatch
from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things
from zaws.service.uris import uri_from_path

EVENT = "zaws/deviceEvent"


@pytest.fixture
def rpc(aws: AwsSettings, zaws_home: Path, tmp_path: Path) -> Iterator[NotifyingClient]:
    server = RawServer(["rpc"], zaws_home, cwd=tmp_path)
    yield NotifyingClient(server)
    assert server.close() == 0


def of(thing: str, kind: str) -> Any:
    return lambda p: p["thing"] == thing and p["kind"] == kind


def test_devices_report_and_the_user_sees_their_samples(
    rpc: NotifyingClient, project: Path, aws: AwsSettings
) -> None:
    add_things(project, aws=aws, base_name="board", count=2)
    uri = uri_from_path(project)
    watch = rpc.result("zaws/subscribe", {"projectUri": uri, "filters": ["+/samples"]})
    started = rpc.result(
        "zaws/startDevices", {"projectUri": uri, "thingNames": ["board_0", "board_1"]}
    )
    assert started["every"] == 5 and started["fotaResult"] == "succeed"
    for thing in ("board_0", "board_1"):
        assert rpc.notified(EVENT, of(thing, "connected"))["sessionId"] == started["sessionId"]
        published = rpc.notified(EVENT, of(thing, "published"))
        message = rpc.notified("zaws/message", lambda p, t=thing: p["topic"] == f"{t}/samples")
        assert message["payloadJson"] == published["data"]["payload"]
        assert message["subscriptionId"] == watch["subscriptionId"]
    listed = rpc.result("zaws/listDevices", {})["devices"]
    assert {d["thing"] for d in listed} == {"board_0", "board_1"}
    stopped = rpc.result("zaws/stopDevices", {"projectUri": uri, "thingNames": ["board_1"]})
    assert [(d["thing"], d["running"]) for d in stopped["stopped"]] == [("board_1", False)]
    assert rpc.notified(EVENT, of("board_1", "disconnected"))["data"]["expected"] is True
    assert [d["thing"] for d in rpc.result("zaws/listDevices", {})["devices"]] == ["board_0"]
    rpc.result("zaws/stopDevices", {"all": True})
    assert rpc.result("zaws/listDevices", {})["devices"] == []
    ended = rpc.result("zaws/unsubscribe", {"subscriptionId": watch["subscriptionId"]})
    assert ended["received"] >= 2


def test_the_device_check_and_refused_params(
    rpc: NotifyingClient, project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    uri = uri_from_path(project)
    assert rpc.result("zaws/checkDevice", {"projectUri": uri, "thingName": "board_0"})["ok"]
    cert_id = boto("iot").list_certificates()["certificates"][0]["certificateId"]
    boto("iot").update_certificate(certificateId=cert_id, newStatus="INACTIVE")
    checked = rpc.result("zaws/checkDevice", {"projectUri": uri})
    assert checked["ok"] is False and [s["name"] for s in checked["steps"]] == ["connect"]
    both = rpc.call("zaws/stopDevices", {"all": True, "projectUri": uri})
    assert both["error"]["code"] == -32602
    unknown = rpc.call("zaws/stopDevices", {"sessionId": "devices-nope"})
    assert unknown["error"]["code"] == -32013
    assert unknown["error"]["data"]["code"] == "zaws.notFound"
    bad = rpc.call("zaws/startDevices", {"projectUri": uri, "fotaResult": "explode"})
    assert bad["error"]["code"] == -32602


def test_every_device_disconnects_cleanly_when_the_input_ends(
    aws: AwsSettings, zaws_home: Path, project: Path, tmp_path: Path
) -> None:
    add_things(project, aws=aws, base_name="board", count=2)
    uri = uri_from_path(project)
    presence = PresenceWatch(project, aws)
    server = RawServer(["rpc"], zaws_home, cwd=tmp_path)
    try:
        rpc = NotifyingClient(server)
        rpc.result("zaws/startDevices", {"projectUri": uri, "allThings": True})
        watch = rpc.result("zaws/subscribe", {"projectUri": uri, "filters": ["#"]})
        for thing in ("board_0", "board_1"):
            rpc.notified(EVENT, of(thing, "subscribed"))
        assert server.close() == 0  # closes its input, waits for the exit
        gone = presence.disconnected(["board_0", "board_1", watch["clientId"]])
    finally:
        presence.close()
        server.close()
    for client_id, disconnected in gone.items():
        assert disconnected["clientInitiatedDisconnect"] is True, (client_id, disconnected)


def test_a_device_waiting_for_a_jobs_answer_stops_at_once_and_cleanly(
    rpc: NotifyingClient, project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    deny_receiving_jobs_answers(boto("iot"), "board_0")
    uri = uri_from_path(project)
    requests = rpc.result("zaws/subscribe", {"projectUri": uri, "filters": [JOBS_GET]})
    presence = PresenceWatch(project, aws)
    try:
        rpc.result("zaws/startDevices", {"projectUri": uri})
        # It asked for its jobs; the answer, which it may not receive, never comes.
        rpc.notified("zaws/message", lambda p: p["topic"] == JOBS_GET)
        began = time.monotonic()
        stopped = rpc.result("zaws/stopDevices", {"projectUri": uri})["stopped"]
        took = time.monotonic() - began
        gone = presence.disconnected(["board_0"])["board_0"]
    finally:
        presence.close()
    assert [(d["thing"], d["running"]) for d in stopped] == [("board_0", False)]
    assert took < 3, f"stopDevices took {took:.1f} s"  # the Jobs wait alone is 15 s
    assert gone["clientInitiatedDisconnect"] is True, gone
    assert rpc.result("zaws/listDevices", {})["devices"] == []
    rpc.result("zaws/unsubscribe", {"subscriptionId": requests["subscriptionId"]})


JOBS_GET = "$aws/things/board_0/jobs/get"
