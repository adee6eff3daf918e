"""Simulated devices and topic subscriptions through a real LSP client, against the emulator:
devices report as zaws/deviceEvent, the user's subscription gets their samples as zaws/message,
the device check answers its steps, and every device disconnects cleanly when the server exits,
one still booting (waiting for a Jobs answer) too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session, start_session, stop_session
from tests.protocol.contract import assert_notification_matches, assert_result_matches
from tests.support.policy_denials import deny_receiving_jobs_answers
from tests.support.presence_watch import PresenceWatch
from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things
from zaws.service.uris import uri_from_path

EVENT = "zaws/deviceEvent"
MESSAGE = "zaws/message"


async def request(session: Session, method: str, params: Any) -> Any:
    result = await session.request(method, params)
    assert_result_matches(method, result)
    return result


async def event(session: Session, thing: str, kind: str) -> dict[str, Any]:
    found = await session.notified(EVENT, lambda p: p["thing"] == thing and p["kind"] == kind)
    assert_notification_matches(EVENT, found)
    return found


async def test_devices_report_to_the_client_and_the_user_sees_their_samples(
    session: Session, project: Path, project_uri: str, aws: AwsSettings
) -> None:
    add_things(project, aws=aws, base_name="board", count=2)
    watch = await request(
        session, "zaws/subscribe", {"projectUri": project_uri, "filters": ["+/samples"]}
    )
    started = await request(
        session, "zaws/startDevices", {"projectUri": project_uri, "allThings": True, "every": 0.3}
    )
    assert started["things"] == ["board_0", "board_1"]
    for thing in started["things"]:
        connected = await event(session, thing, "connected")
        assert connected["sessionId"] == started["sessionId"]
        published = await event(session, thing, "published")
        assert published["data"]["topic"] == f"{thing}/samples"
        message = await session.notified(MESSAGE, lambda p, t=thing: p["topic"] == f"{t}/samples")
        assert_notification_matches(MESSAGE, message)
        assert message["subscriptionId"] == watch["subscriptionId"]
        assert set(message["payloadJson"]) == {"temperature", "uptime_ms"}

    listed = await request(session, "zaws/listDevices", {"projectUri": project_uri})
    assert [(d["thing"], d["running"]) for d in listed["devices"]] == [
        ("board_0", True),
        ("board_1", True),
    ]
    stopped = await request(session, "zaws/stopDevices", {"sessionId": started["sessionId"]})
    assert sorted(d["thing"] for d in stopped["stopped"]) == ["board_0", "board_1"]
    assert not any(d["running"] for d in stopped["stopped"])
    for thing in started["things"]:
        assert (await event(session, thing, "disconnected"))["data"]["expected"] is True
    assert (await request(session, "zaws/listDevices", {}))["devices"] == []

    ended = await request(session, "zaws/unsubscribe", {"subscriptionId": watch["subscriptionId"]})
    assert ended["received"] >= 2
    with pytest.raises(JsonRpcException) as caught:
        await session.request("zaws/unsubscribe", {"subscriptionId": watch["subscriptionId"]})
    assert caught.value.code == -32013  # NotFound


async def test_a_running_device_takes_a_fota_job_and_its_events_name_the_job(
    session: Session, project: Path, project_uri: str, aws: AwsSettings, fota_setup: dict[str, str]
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    await request(session, "zaws/startDevices", {"projectUri": project_uri})
    await event(session, "board_0", "subscribed")
    started = await request(
        session,
        "zaws/startFota",
        {
            "projectUri": project_uri,
            "firmwareUri": uri_from_path(Path(fota_setup["firmware"])),
            "bucket": fota_setup["bucket"],
            "role": fota_setup["role"],
        },
    )

    def job(status: str) -> Any:
        return lambda p: p["kind"] == "job" and p["status"] == status

    moving = await session.notified(EVENT, job("IN_PROGRESS"))
    assert moving["jobId"] == started["jobId"] and moving["thing"] == "board_0"
    downloaded = await event(session, "board_0", "downloaded")
    assert downloaded["data"]["md5Ok"] is True
    done = await session.notified(EVENT, job("SUCCEEDED"))
    assert_notification_matches(EVENT, done)
    assert done["jobId"] == started["jobId"]
    await request(session, "zaws/stopDevices", {"all": True})


async def test_the_device_check_answers_its_steps(
    session: Session, project: Path, project_uri: str, aws: AwsSettings
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    checked = await request(session, "zaws/checkDevice", {"projectUri": project_uri})
    assert checked["thing"] == "board_0" and checked["ok"] is True
    assert [s["name"] for s in checked["steps"]] == [
        "connect",
        "samples",
        "commands",
        "jobs",
        "shadow",
    ]


async def test_subscribing_as_a_running_device_is_refused(
    session: Session, project: Path, project_uri: str, aws: AwsSettings
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    await request(session, "zaws/startDevices", {"projectUri": project_uri})
    with pytest.raises(JsonRpcException) as caught:
        await session.request(
            "zaws/subscribe",
            {"projectUri": project_uri, "filters": ["board_0/commands"], "thingName": "board_0"},
        )
    assert caught.value.code == -32011 and "board_0" in str(caught.value.message)
    await request(session, "zaws/stopDevices", {"projectUri": project_uri})


async def test_the_devices_disconnect_cleanly_when_the_server_exits(
    aws: AwsSettings, zaws_home: Path, project: Path, project_uri: str
) -> None:
    add_things(project, aws=aws, base_name="board", count=2)
    presence = PresenceWatch(project, aws)
    try:
        session = await start_session(zaws_home)
        await request(session, "zaws/startDevices", {"projectUri": project_uri, "allThings": True})
        watch = await request(
            session, "zaws/subscribe", {"projectUri": project_uri, "filters": ["#"]}
        )
        for thing in ("board_0", "board_1"):
            await event(session, thing, "subscribed")
        await stop_session(session)  # shutdown, exit
        gone = presence.disconnected(["board_0", "board_1", watch["clientId"]])
    finally:
        presence.close()
    for client_id, disconnected in gone.items():
        assert disconnected["clientInitiatedDisconnect"] is True, (client_id, disconnected)


async def test_a_device_still_booting_when_the_server_exits_disconnects_cleanly(
    aws: AwsSettings, zaws_home: Path, project: Path, project_uri: str, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    deny_receiving_jobs_answers(boto("iot"), "board_0")
    jobs_get = "$aws/things/board_0/jobs/get"
    presence = PresenceWatch(project, aws)
    try:
        session = await start_session(zaws_home)
        await request(session, "zaws/subscribe", {"projectUri": project_uri, "filters": [jobs_get]})
        await request(session, "zaws/startDevices", {"projectUri": project_uri})
        # On boot it asked for its jobs; the answer, which it may not receive, never comes.
        await session.notified(MESSAGE, lambda p: p["topic"] == jobs_get)
        await stop_session(session)  # shutdown, exit: while it waits
        gone = presence.disconnected(["board_0"])["board_0"]
    finally:
        presence.close()
    assert gone["clientInitiatedDisconnect"] is True, gone
