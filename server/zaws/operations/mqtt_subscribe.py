"""`zaws mqtt subscribe`: watch topics of a project's endpoint, as the user or as one of its things.

Steps: resolve the endpoint and identity (`mqtt_connect`); connect (a refusal says why);
subscribe to every filter in one SUBSCRIBE (any refused filter stops the watch, with the
policy's reason in local mode); hand each message to `on_message` as it arrives, in the caller's
thread; stop after `count` messages, after `duration` seconds, when `cancel` is set, or when
the broker closes the connection (an error, saying so). `cancel` set while the connection waits
for its CONNACK or SUBACK ends that wait too (`ConnectionInterrupted`).
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, RemoteFailure
from zaws.mqtt.messages import Connected, MqttMessage, SubscriptionOutcome
from zaws.operations.progress import Cancellation

if TYPE_CHECKING:
    from zaws.mqtt.connection import MqttConnection

MAX_FILTERS = 8  # AWS IoT's limit per SUBSCRIBE
POLL_S = 0.1


@dataclass
class WatchEnded:
    client_id: str
    identity: str
    endpoint: str
    subscriptions: list[SubscriptionOutcome]
    received: int
    stopped_by: str  # "count", "time", "cancel"
    seconds: float
    refusals: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "identity": self.identity,
            "endpoint": self.endpoint,
            "subscriptions": [
                {"filter": s.topic_filter, "granted_qos": s.granted_qos} for s in self.subscriptions
            ],
            "received": self.received,
            "stopped_by": self.stopped_by,
            "seconds": round(self.seconds, 3),
        }


def watch_topics(
    project: Path,
    filters: Sequence[str],
    *,
    aws: AwsSettings,
    on_message: Callable[[MqttMessage], None],
    thing: str | None = None,
    count: int | None = None,
    duration: float | None = None,
    qos: int = 1,
    on_subscribed: Callable[[Connected, list[SubscriptionOutcome]], None] | None = None,
    cancel: Cancellation | None = None,
) -> WatchEnded:
    from zaws.mqtt.connection import ConnectionLost
    from zaws.operations.mqtt_connect import open_connection, resolve_target
    from zaws.operations.mqtt_refusals import (
        MqttRefused,
        explain_lost_subscription,
        explain_refused_subscription,
    )

    check_filters(filters)
    if count is not None and count < 1:
        raise InvalidInput("--count must be at least 1")
    if duration is not None and duration <= 0:
        raise InvalidInput("--for must be a positive number of seconds")
    target = resolve_target(project, aws=aws, thing=thing)
    started = time.monotonic()
    stopped = None if cancel is None else (lambda: cancel.is_cancelled)
    connection = open_connection(target, stopped=stopped)
    try:
        try:
            outcomes = connection.subscribe(list(filters), qos=qos)
        except ConnectionLost as lost:
            raise explain_lost_subscription(target, list(filters), lost) from None
        refused = [o for o in outcomes if o.refused]
        if refused:
            reasons = [explain_refused_subscription(target, o) for o in refused]
            raise MqttRefused(
                f"{target.endpoint.describe()} refused a subscription of "
                f"{target.identity.describe()}: " + "; ".join(reasons),
                "subscribe to filters the policy allows",
            )
        connected = Connected(
            target.identity.client_id, target.endpoint.describe(), target.identity.describe()
        )
        if on_subscribed is not None:
            on_subscribed(connected, outcomes)
        received, stopped_by = _receive(connection, on_message, count, duration, cancel)
    finally:
        connection.close()
    return WatchEnded(
        client_id=target.identity.client_id,
        identity=target.identity.describe(),
        endpoint=target.endpoint.describe(),
        subscriptions=outcomes,
        received=received,
        stopped_by=stopped_by,
        seconds=time.monotonic() - started,
    )


def _receive(
    connection: MqttConnection,
    on_message: Callable[[MqttMessage], None],
    count: int | None,
    duration: float | None,
    cancel: Cancellation | None,
) -> tuple[int, str]:
    deadline = None if duration is None else time.monotonic() + duration
    received = 0
    while True:
        if count is not None and received >= count:
            return received, "count"
        if cancel is not None and cancel.is_cancelled:
            return received, "cancel"
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            return received, "time"
        try:
            wait = POLL_S if remaining is None else min(remaining, POLL_S)
            message = connection.inbox.get(timeout=wait)
        except queue.Empty:
            ended = connection.disconnection
            if ended is not None and connection.inbox.empty():
                raise RemoteFailure(
                    f"{connection.endpoint.describe()} closed the connection after "
                    f"{received} message(s): {ended.reason}",
                    "another client may have connected with the same client id",
                ) from None
            continue
        received += 1
        on_message(message)


def check_filters(filters: Sequence[str]) -> None:
    if not filters:
        raise InvalidInput("Give at least one topic filter", "e.g. `zaws mqtt subscribe P '#'`")
    if len(filters) > MAX_FILTERS:
        raise InvalidInput(
            f"AWS IoT takes at most {MAX_FILTERS} filters in one subscription, not {len(filters)}",
            "use wildcards (+, #) or fewer filters",
        )
    for topic_filter in filters:
        _check_filter(topic_filter)


def _check_filter(topic_filter: str) -> None:
    if not topic_filter:
        raise InvalidInput("A topic filter cannot be empty")
    levels = topic_filter.split("/")
    for index, level in enumerate(levels):
        if "#" in level and (level != "#" or index != len(levels) - 1):
            raise InvalidInput(
                f"Bad topic filter {topic_filter!r}: # must be a whole level, the last one"
            )
        if "+" in level and level != "+":
            raise InvalidInput(f"Bad topic filter {topic_filter!r}: + must be a whole level")
