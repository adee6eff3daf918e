"""One simulated device's MQTT session: connect as the library does, bounded waits, a reset.

The library's connection: client id = mqttid, clean session, keep-alive 60 s, MQTT 3.1.1, every
publish and subscribe at QoS 0 (`MqttConnection`'s defaults for the protocol, QoS given here).
Messages arrive in one queue, read by the device's own thread. The library waits for answers
with no timeout; `wait_for` waits `timeout` seconds and reports a `timeout` event saying so.
Every wait also ends when the device's `stop` is set (`devices.stopping`).
"""

from __future__ import annotations

import json
import queue
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from zaws.devices.events import DeviceEvent
from zaws.devices.process_slots import CONNECTING
from zaws.devices.stopping import DeviceStopped
from zaws.mqtt.connection import DEFAULT_KEEPALIVE_S, MqttConnection, ThingIdentity
from zaws.mqtt.messages import Disconnection, MqttMessage
from zaws.operations.mqtt_connect import MqttTarget

LIBRARY_QOS = 0
WAIT_S = 15.0
SLICE_S = 0.1  # how soon a wait for a message sees the stop
RETRY_MAX_S = 30.0  # the longest pause between two connection attempts
Emit = Callable[[DeviceEvent], None]


def retry_pause(failures: int) -> float:
    """Seconds before connection attempt `failures + 1`: 1, 2, 4 ... up to 30, each drawn
    between half and all of that so that a fleet's retries spread out."""
    ceiling = min(RETRY_MAX_S, 2.0 ** (failures - 1))
    return random.uniform(ceiling / 2, ceiling)


class DeviceLink:
    """The device's connection; `reset()` closes it and connects again, as a reboot does."""

    def __init__(self, target: MqttTarget, emit: Emit, *, timeout: float = WAIT_S) -> None:
        assert isinstance(target.identity, ThingIdentity)
        self.target = target
        self.thing = target.identity.thing_name
        self.emit = emit
        self.timeout = timeout
        self.messages: queue.Queue[MqttMessage] = queue.Queue()
        self.backlog: list[MqttMessage] = []  # arrived while waiting for something else
        self.connection: MqttConnection | None = None
        self.filters: list[str] = []
        self.stop = threading.Event()  # the device's: `SimulatedDevice.run` sets its own here

    # -- the session --------------------------------------------------------------------
    def connect(self) -> None:
        """Connect; an endpoint that cannot be reached (nothing listening, a handshake that
        timed out: a thousand devices powered on at once) is tried again after a growing,
        jittered pause, as device firmware does, until stopped. A refusal, or a server that is
        not the endpoint's, is final."""
        from zaws.mqtt.connection import EndpointUnreachable, MqttTimeout, ServerNotTrusted

        failures = 0
        while True:
            try:
                with CONNECTING.held(self.stop):
                    self._connect_once()
                return
            except ServerNotTrusted:
                raise
            except (EndpointUnreachable, MqttTimeout) as err:
                failures += 1
                pause = retry_pause(failures)
                self.emit(
                    DeviceEvent(
                        self.thing,
                        "note",
                        f"could not connect ({err.message}); trying again in {pause:.1f} s",
                        {"reason": err.message, "seconds": round(pause, 1)},
                    )
                )
                if self.stop.wait(pause):
                    raise DeviceStopped() from None

    def _connect_once(self) -> None:
        from zaws.operations.mqtt_connect import open_connection

        def ended(how: Disconnection) -> None:
            if not how.expected:
                self.emit(
                    DeviceEvent(
                        self.thing,
                        "disconnected",
                        f"disconnected: {how.reason}",
                        {"reason": how.reason, "expected": False},
                    )
                )

        self.check_stop()
        self.connection = open_connection(
            self.target,
            on_message=self.messages.put,
            on_disconnect=ended,
            timeout=self.timeout,
            stopped=self.stop.is_set,
        )
        identity = self.target.identity
        self.emit(
            DeviceEvent(
                self.thing,
                "connected",
                f"connected to {self.target.endpoint.describe()} as client id {identity.client_id} "
                f"(MQTT 3.1.1, clean session, keep-alive {DEFAULT_KEEPALIVE_S} s)",
                {"client_id": identity.client_id, "endpoint": self.target.endpoint.describe()},
            )
        )

    def subscribe(self, filters: Sequence[str]) -> list[str]:
        """Subscribe at QoS 0; the filters granted (a refused one is reported as an event)."""
        from zaws.operations.mqtt_refusals import explain_refused_subscription

        outcomes = self.live().subscribe(list(filters), qos=LIBRARY_QOS, timeout=self.timeout)
        granted = []
        for outcome in outcomes:
            if outcome.refused:
                why = explain_refused_subscription(self.target, outcome)
                self.emit(DeviceEvent(self.thing, "refused", why, {"filter": outcome.topic_filter}))
            else:
                granted.append(outcome.topic_filter)
                if outcome.topic_filter not in self.filters:
                    self.filters.append(outcome.topic_filter)
        return granted

    def publish(self, topic: str, body: Any) -> None:
        """Publish at QoS 0; AWS closes the connection on an unauthorized PUBLISH: say why."""
        from zaws.mqtt.connection import ConnectionLost
        from zaws.operations.mqtt_refusals import explain_lost_publication

        payload = json.dumps(body).encode()
        try:
            self.live().publish(topic, payload, qos=LIBRARY_QOS, timeout=self.timeout)
        except ConnectionLost as lost:
            raise explain_lost_publication(self.target, topic, lost) from None

    def close(self, why: str) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
            self.emit(
                DeviceEvent(
                    self.thing,
                    "disconnected",
                    f"disconnected: {why}",
                    {"reason": why, "expected": True},
                )
            )

    def reset(self, why: str) -> None:
        """A reboot: close, connect again, subscribe again to what was subscribed."""
        self.close(why)
        self.emit(DeviceEvent(self.thing, "reset", f"reset ({why}); connecting again"))
        self.backlog.clear()
        self.connect()
        filters, self.filters = self.filters, []
        if filters:
            self.subscribe(filters)

    def live(self) -> MqttConnection:
        if self.connection is None:
            self.connect()
        assert self.connection is not None
        return self.connection

    def check_stop(self) -> None:
        if self.stop.is_set():
            raise DeviceStopped()

    # -- messages -----------------------------------------------------------------------
    def next_message(self, timeout: float) -> MqttMessage | None:
        if self.backlog:
            return self.backlog.pop(0)
        try:
            return self.messages.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None

    def wait_for(self, prefix: str, what: str) -> dict[str, Any] | None:
        """The JSON of the next message whose topic starts with `prefix` (the library's test),
        or None after `timeout` seconds, reported as a `timeout` event; DeviceStopped on a stop."""
        deadline = time.monotonic() + self.timeout
        while (left := deadline - time.monotonic()) > 0:
            self.check_stop()
            connection = self.connection
            if connection is not None and connection.disconnection is not None:
                break
            try:
                message = self.messages.get(timeout=min(left, SLICE_S))
            except queue.Empty:
                continue
            if message.topic.startswith(prefix):
                value = message.json_value()
                return value if isinstance(value, dict) else {}
            self.backlog.append(message)
        self.emit(
            DeviceEvent(
                self.thing,
                "timeout",
                f"no answer on {prefix} in {self.timeout:g} s while {what} "
                "(the Zerynth library would wait forever here)",
                {"topic": prefix, "seconds": self.timeout},
            )
        )
        return None
