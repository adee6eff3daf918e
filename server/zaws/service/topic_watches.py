"""The topic subscriptions a server holds between requests: each a `zaws mqtt subscribe` of its own.

A subscription is `operations.mqtt_subscribe.watch_topics` on a thread: `subscribe` answers once
the broker granted the filters (or raises what refused them), then every message becomes a
`zaws/message` through `notify`. `unsubscribe` cancels the watch and waits for its connection to
close, so no message of it follows the answer. A watch the broker ends is announced with
`zaws/subscriptionEnded` and forgotten. `stop_all` is what a server calls when it exits.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zaws.aws.settings import AwsSettings
from zaws.errors import NotFound, RemoteFailure, ZawsError
from zaws.mqtt.messages import Connected, MqttMessage, SubscriptionOutcome
from zaws.operations.progress import Cancellation
from zaws.service.notification_params import (
    MESSAGE,
    SUBSCRIPTION_ENDED,
    Notify,
    message_params,
    subscription_ended_params,
)
from zaws.service.uris import uri_from_path

log = logging.getLogger(__name__)

READY_S = 60.0  # connect and SUBSCRIBE have their own, shorter timeouts
CLOSE_S = 10.0


@dataclass
class TopicWatch:
    subscription_id: str
    started: float = field(default_factory=time.monotonic)
    cancel: Cancellation = field(default_factory=Cancellation)
    ready: threading.Event = field(default_factory=threading.Event)
    answer: dict[str, Any] | None = None  # what subscribe answers, once the broker granted
    failure: BaseException | None = None  # what stopped it before or after that
    received: int = 0
    thread: threading.Thread | None = None
    closed: bool = False  # unsubscribed: later messages are dropped


class TopicWatches:
    def __init__(self, notify: Notify) -> None:
        self._notify = notify
        self._lock = threading.Lock()
        self._watches: dict[str, TopicWatch] = {}

    def subscribe(
        self,
        project: Path,
        filters: Sequence[str],
        *,
        aws: AwsSettings,
        thing: str | None = None,
        qos: int = 1,
    ) -> dict[str, Any]:
        """Connect and subscribe; the answer once granted, or the error that refused it."""
        watch = TopicWatch(f"messages-{uuid.uuid4().hex[:12]}")
        uri = uri_from_path(project)

        def subscribed(connected: Connected, outcomes: list[SubscriptionOutcome]) -> None:
            watch.answer = {
                "subscriptionId": watch.subscription_id,
                "projectUri": uri,
                "clientId": connected.client_id,
                "identity": connected.identity,
                "endpoint": connected.endpoint,
                "subscriptions": [
                    {"filter": o.topic_filter, "grantedQos": o.granted_qos} for o in outcomes
                ],
            }
            with self._lock:
                self._watches[watch.subscription_id] = watch
            watch.ready.set()

        def received(message: MqttMessage) -> None:
            if watch.closed:
                return
            watch.received += 1
            self._notify(MESSAGE, message_params(watch.subscription_id, message))

        def run() -> None:
            from zaws.operations.mqtt_subscribe import watch_topics

            try:
                watch_topics(
                    project,
                    filters,
                    aws=aws,
                    on_message=received,
                    thing=thing,
                    qos=qos,
                    on_subscribed=subscribed,
                    cancel=watch.cancel,
                )
            except BaseException as err:  # reported to the request, or as subscriptionEnded
                watch.failure = err
            finally:
                self._ended(watch)

        watch.thread = threading.Thread(target=run, name="zaws topic watch", daemon=True)
        watch.thread.start()
        if not watch.ready.wait(READY_S):
            watch.cancel.cancel()
            raise RemoteFailure(
                f"No answer to the subscription in {READY_S:g} s", "check the endpoint"
            )
        if watch.answer is None:
            assert watch.failure is not None
            raise watch.failure
        return watch.answer

    def unsubscribe(self, subscription_id: str) -> dict[str, Any]:
        with self._lock:
            watch = self._watches.pop(subscription_id, None)
        if watch is None:
            raise NotFound(
                f"No subscription {subscription_id} (never made, unsubscribed, or ended)",
                "zaws/subscribe answers the id of each subscription it makes",
            )
        _close([watch], CLOSE_S)
        return {
            "subscriptionId": subscription_id,
            "received": watch.received,
            "seconds": round(time.monotonic() - watch.started, 3),
        }

    def stop_all(self, timeout: float = 5.0) -> None:
        with self._lock:
            watches = list(self._watches.values())
            self._watches.clear()
        _close(watches, timeout)

    def _ended(self, watch: TopicWatch) -> None:
        """The watch's thread ends: tell whoever waits, and the client if the broker ended it."""
        if not watch.ready.is_set():
            watch.ready.set()  # subscribe raises the failure
            return
        with self._lock:
            known = self._watches.pop(watch.subscription_id, None) is not None
        if not known or watch.closed:
            return
        failure = watch.failure
        if failure is None:
            return
        if not isinstance(failure, ZawsError):
            log.error("topic watch %s failed", watch.subscription_id, exc_info=failure)
            failure = ZawsError(f"The subscription failed unexpectedly ({type(failure).__name__})")
        self._notify(
            SUBSCRIPTION_ENDED,
            subscription_ended_params(watch.subscription_id, watch.received, failure),
        )


def _close(watches: Sequence[TopicWatch], timeout: float) -> None:
    for watch in watches:
        watch.closed = True
        watch.cancel.cancel()
    deadline = time.monotonic() + timeout
    for watch in watches:
        if watch.thread is not None:
            watch.thread.join(max(deadline - time.monotonic(), 0.0))
