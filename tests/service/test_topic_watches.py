"""The server's topic subscriptions in-process, on the emulator: as the user's identity or a thing,
each message a `zaws/message`; unsubscribe ends them for good; the broker ending one is told; a
grant arriving once stopped all is refused and its connection closed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.service.collected import Collected
from tests.support.presence_watch import PresenceWatch
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound, OperationCancelled
from zaws.mqtt.messages import Connected, SubscriptionOutcome
from zaws.operations.add_things import add_things
from zaws.operations.mqtt_connect import open_connection, resolve_target
from zaws.operations.mqtt_publish import publish_message
from zaws.operations.mqtt_subscribe import WatchEnded, watch_topics
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


def test_a_subscription_granted_while_stop_all_runs_is_refused_and_disconnects(
    project: Path, aws: AwsSettings
) -> None:
    granted = threading.Event()
    client_ids: list[str] = []

    def held_at_the_grant(*args: Any, **kwargs: Any) -> WatchEnded:
        """The real watch, its SUBACK's handling held until the watch is cancelled (bounded)."""
        subscribed, cancel = kwargs["on_subscribed"], kwargs["cancel"]

        def hold(connected: Connected, outcomes: list[SubscriptionOutcome]) -> None:
            client_ids.append(connected.client_id)
            granted.set()
            cancel.wait(10)  # stop_all cancels it; unknown to stop_all, it would hold 10 s
            subscribed(connected, outcomes)

        return watch_topics(*args, **{**kwargs, "on_subscribed": hold})

    presence = PresenceWatch(project, aws)
    watched = TopicWatches(Collected(), watch_topics=held_at_the_grant)
    outcome: list[BaseException | dict[str, Any]] = []

    def subscribe() -> None:
        try:
            outcome.append(watched.subscribe(project, ["board_0/commands"], aws=aws))
        except BaseException as err:
            outcome.append(err)

    subscribing = threading.Thread(target=subscribe)
    try:
        subscribing.start()
        assert granted.wait(30)  # the SUBACK came; the subscription is not made yet: exit
        watched.stop_all()
        subscribing.join(30)
        (refused,) = outcome
        assert isinstance(refused, OperationCancelled), refused
        assert "shutting down" in refused.message
        assert watched._watches == {}
        gone = presence.disconnected(client_ids)
    finally:
        presence.close()
    assert gone[client_ids[0]]["clientInitiatedDisconnect"] is True
    with pytest.raises(OperationCancelled):  # and no later subscription either
        watched.subscribe(project, ["board_0/commands"], aws=aws)
