"""The server's topic subscriptions in-process, on the emulator: as the user's identity or a thing,
each message a `zaws/message`; unsubscribe ends them for good; the broker ending one is told."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.collected import Collected
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound
from zaws.operations.add_things import add_things
from zaws.operations.mqtt_connect import open_connection, resolve_target
from zaws.operations.mqtt_publish import publish_message
from zaws.service.topic_watches import TopicWatches

MESSAGE = "zaws/message"


@pytest.fixture
def watches() -> Iterator[tuple[TopicWatches, Collected]]:
    collected = Collected()
    made = TopicWatches(collected)
    yield made, collected
    made.stop_all()


def test_messages_arrive_as_the_user_sees_them_until_unsubscribed(
    project: Path, aws: AwsSettings, watches: tuple[TopicWatches, Collected]
) -> None:
    watched, collected = watches
    add_things(project, aws=aws, base_name="board", count=1)
    first = watched.subscribe(project, ["board_0/commands", "other/#"], aws=aws)
    assert first["identity"].startswith("your AWS identity")
    assert [(s["filter"], s["grantedQos"]) for s in first["subscriptions"]] == [
        ("board_0/commands", 1),
        ("other/#", 1),
    ]
    publish_message(project, "board_0/commands", b'{"led": true}', aws=aws, qos=1)
    publish_message(project, "other/text", b"plain words", aws=aws, qos=1)
    as_json = collected.wait_for(MESSAGE, lambda p: p["topic"] == "board_0/commands")
    assert as_json["subscriptionId"] == first["subscriptionId"]
    assert as_json["payloadJson"] == {"led": True} and as_json["payloadText"] == '{"led": true}'
    as_text = collected.wait_for(MESSAGE, lambda p: p["topic"] == "other/text")
    assert as_text["payloadText"] == "plain words" and "payloadJson" not in as_text

    ended = watched.unsubscribe(first["subscriptionId"])
    assert ended["subscriptionId"] == first["subscriptionId"] and ended["received"] == 2
    with pytest.raises(NotFound):
        watched.unsubscribe(first["subscriptionId"])
    # A second watch sees the next message; the first, closed, does not.
    second = watched.subscribe(project, ["board_0/commands"], aws=aws)
    publish_message(project, "board_0/commands", b"again", aws=aws, qos=1)
    collected.wait_for(MESSAGE, lambda p: p["subscriptionId"] == second["subscriptionId"])
    late = [p for name, p in collected.drain() if p.get("payloadText") == "again"]
    assert [p["subscriptionId"] for p in late] == [second["subscriptionId"]]


def test_a_bad_filter_is_refused_and_nothing_stays_subscribed(
    project: Path, aws: AwsSettings, watches: tuple[TopicWatches, Collected]
) -> None:
    watched, _ = watches
    with pytest.raises(InvalidInput, match="# must be a whole level"):
        watched.subscribe(project, ["a/#/b"], aws=aws)
    assert watched._watches == {}


def test_the_broker_ending_a_subscription_is_told_and_forgotten(
    project: Path, aws: AwsSettings, watches: tuple[TopicWatches, Collected]
) -> None:
    watched, collected = watches
    add_things(project, aws=aws, base_name="board", count=1)
    made = watched.subscribe(project, ["board_0/commands"], aws=aws, thing="board_0")
    assert made["identity"].startswith("thing board_0") and made["clientId"] == "board_0"
    # Another client with the thing's client id: the broker closes the older connection.
    intruder = open_connection(resolve_target(project, aws=aws, thing="board_0"))
    try:
        ended = collected.wait_for("zaws/subscriptionEnded")
    finally:
        intruder.close()
    assert ended["subscriptionId"] == made["subscriptionId"] and ended["received"] == 0
    assert ended["error"]["code"] == "zaws.remote"
    with pytest.raises(NotFound):
        watched.unsubscribe(made["subscriptionId"])
