"""The topic subscriptions a server holds between requests: each a `zaws mqtt subscribe` of its own.

A subscription is `operations.mqtt_subscribe.watch_topics` on a thread: `subscribe` answers once
the broker granted the filters (or raises what refused them), then every message becomes a
`zaws/message` through `notify`. `unsubscribe` cancels the watch and waits for its connection to
close, so no message of it follows the answer. A watch the broker ends is announced with
`zaws/subscriptionEnded` and forgotten. `stop_all` is what a server calls when it exits: it
closes every watch, those still waiting for the broker's grant too, and from then on none is
made (a grant arriving after it is refused), so no subscription outlives its server.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zaws.aws.settings import AwsSettings
from zaws.errors import NotFound, OperationCancelled, RemoteFailure, ZawsError
from zaws.mqtt.messages import Connected, MqttMessage, SubscriptionOutcome
from zaws.operations.progress import Cancellation

if TYPE_CHECKING:
    from zaws.operations.mqtt_subscribe import WatchEnded
from zaws.service.notification_params import (
    MESSAGE,
    SUBSCRIPTION_ENDED,
    Notify,
    message_params,
    subscription_ended_params,
)
from zaws.service.uris import uri_from_path

WatchTopics = Callable[..., "WatchEnded"]  # `mqtt_subscribe.watch_topics`'s signature
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


def _watch_topics(*args: Any, **kwargs: Any) -> WatchEnded:
    from zaws.operations.mqtt_subscribe import watch_topics

    return watch_topics(*args, **kwargs)


class TopicWatches:
    def __init__(self, notify: Notify, watch_topics: WatchTopics = _watch_topics) -> None:
        self._notify = notify
        self._watch_topics = watch_topics  # tests pass one that lets them see the grant
        self._lock = threading.Lock()
        self._watches: dict[str, TopicWatch] = {}  # granted ones, and those waiting for it
        self._closed = False  # stop_all ran: no watch is made any more

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
            answer = {
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
                if self._closed:  # stop_all came while the broker granted: close at once
                    watch.cancel.cancel()
                    return
                watch.answer = answer
            watch.ready.set()

        def received(message: MqttMessage) -> None:
            if watch.closed:
                return
            watch.received += 1
            self._notify(MESSAGE, message_params(watch.subscription_id, message))

        def run() -> None:
            try:
                self._watch_topics(
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
        with self._lock:  # stop_all closes it from now on, or it is never made
            if self._closed:
                raise _shutting_down()
            self._watches[watch.subscription_id] = watch
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

    def stop_all(self, timeout: float = CLOSE_S) -> None:
        """Close every watch (all at once, within `timeout`) and make none after; for exit."""
        with self._lock:
            self._closed = True
            watches = list(self._watches.values())
            self._watches.clear()
        _close(watches, timeout)

    def _ended(self, watch: TopicWatch) -> None:
        """The watch's thread ends: tell whoever waits, and the client if the broker ended it."""
        with self._lock:
            known = self._watches.pop(watch.subscription_id, None) is not None
            closed = self._closed
        if not watch.ready.is_set():
            if closed:  # stopped before the grant, or refused it: subscribe says why
                watch.failure = _shutting_down()
            watch.ready.set()  # subscribe raises the failure
            return
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


def _shutting_down() -> OperationCancelled:
    return OperationCancelled(
        "The server is shutting down: no subscription is made",
        "start the server again (reopen the window)",
    )


def _close(watches: Sequence[TopicWatch], timeout: float) -> None:
    for watch in watches:
        watch.closed = True
        watch.cancel.cancel()
    deadline = time.monotonic() + timeout
    for watch in watches:
        if watch.thread is not None:
            watch.thread.join(max(deadline - time.monotonic(), 0.0))
