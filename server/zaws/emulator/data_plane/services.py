"""The contract between the MQTT broker and the `$aws` services (jobs, shadows, lifecycle events).

The broker authorizes a device's PUBLISH to a `$aws/...` topic (iot:Publish) and hands it to the
first registered `ReservedTopicService` whose `handles(topic)` is true, calling `on_publish` on
the broker's thread with moto's lock held (`one_at_a_time.moto_lock()`). Services answer through
the `DataPlane` the broker implements: `deliver` to one client whether or not it subscribed (the
Jobs API's accepted/rejected), `publish` to every matching subscriber; iot:Receive is checked
for both, on every delivery, as AWS does.
Both are thread-safe and never block on the broker: callable from `on_publish`, from moto's
request threads (a job created over HTTP) or from anywhere else. `on_connection_change` reports
connections and disconnections for the lifecycle events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ClientInfo:
    """One connected client, as the services see it."""

    client_id: str
    thing_name: str | None  # the thing named like the client id, attached to its certificate
    account_id: str
    region: str
    protocol_level: int  # 4: MQTT 3.1.1, 5: MQTT 5
    principal: str | None = None  # the certificate id (mutual TLS) or the access key (SigV4)
    source_ip: str | None = None


# connected (True) or disconnected (False, with AWS's lifecycle reason, e.g. "DUPLICATE_CLIENTID")
ConnectionListener = Callable[[ClientInfo, bool, str], None]


class ReservedTopicService(Protocol):
    def handles(self, topic: str) -> bool: ...

    def on_publish(self, client: ClientInfo, topic: str, payload: bytes) -> None:
        """A device published to a `$aws` topic it may publish to (already authorized)."""
        ...


class DataPlane(Protocol):
    def deliver(self, client_id: str, topic: str, payload: bytes, qos: int = 0) -> None:
        """To that connected client, subscribed or not, if its iot:Receive allows `topic`
        (dropped when it is not connected or not allowed)."""
        ...

    def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        """To every matching subscriber, each delivery checked with iot:Receive."""
        ...

    def on_connection_change(self, listener: ConnectionListener) -> None:
        """Call `listener(client, connected, reason)` on every connect and disconnect."""
        ...

    def register_service(self, service: ReservedTopicService) -> None:
        """Route the `$aws` topics `service.handles` to it."""
        ...
