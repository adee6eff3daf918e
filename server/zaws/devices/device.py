"""One simulated device: the template's main.py and the library's callbacks, in one thread.

On boot (and after each reset): connect, subscribe to the command topic, the shadow's delta and
jobs/notify, run `handle_fota_jobs` (force=True, as the FOTA example does on connect). Then until
stopped: publish a sample `{"temperature", "uptime_ms"}` to `<thing>/samples` every period; a
command is reported; a shadow delta is answered by reporting its state (`on_shadow_request`); a
jobs/notify message runs `handle_fota_jobs` again. A stop ends it whatever it is doing
(`devices.stopping`): it disconnects cleanly, reporting no error.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from zaws.devices.events import DeviceEvent
from zaws.devices.fota_runner import FotaResult, FotaRunner
from zaws.devices.jobs_client import JobsClient
from zaws.devices.link import DeviceLink, Emit
from zaws.devices.stopping import DeviceStopped
from zaws.devices.topics import TEMPLATE_PERIOD_S, DeviceTopics
from zaws.errors import ZawsError
from zaws.mqtt.connection import ConnectionInterrupted
from zaws.mqtt.messages import MqttMessage
from zaws.operations.mqtt_connect import MqttTarget

MAX_RESETS_IN_A_ROW = 4
IDLE_POLL_S = 0.5  # how often an idle device looks at its stop and its connection


@dataclass(frozen=True)
class DeviceOptions:
    every: float = TEMPLATE_PERIOD_S
    fota_result: FotaResult = "succeed"
    timeout: float = 15.0


class SimulatedDevice:
    def __init__(
        self, target: MqttTarget, record: Path, options: DeviceOptions, emit: Emit
    ) -> None:
        self.link = DeviceLink(target, emit, timeout=options.timeout)
        self.thing = self.link.thing
        self.topics = DeviceTopics(self.thing)
        self.options = options
        self.fota = FotaRunner(
            self.link, JobsClient(self.link, self.topics), record, options.fota_result
        )
        self.booted = time.monotonic()

    def run(self, stop: threading.Event) -> None:
        """Until `stop` is set; every failure is an `error` event, never an exception."""
        self.link.stop = stop
        try:
            self._boot()
            self._main_loop(stop)
        except (DeviceStopped, ConnectionInterrupted):
            pass  # stopped mid-wait: the link's close below says so
        except ZawsError as err:
            self.link.emit(DeviceEvent(self.thing, "error", err.message, {"hint": err.hint}))
        except Exception as err:  # one device's failure never takes the fleet down
            words = f"stopped by an unexpected {type(err).__name__}: {err}"
            self.link.emit(DeviceEvent(self.thing, "error", words, {"hint": None}))
        finally:
            self.link.close("stopped")

    def _boot(self) -> None:
        self.link.connect()
        self._subscribe()
        for _ in range(MAX_RESETS_IN_A_ROW):
            if not self.fota.handle():
                return
            self.link.reset("FOTA")
            self.booted = time.monotonic()

    def _subscribe(self) -> None:
        topics = self.topics
        filters = [topics.commands, topics.shadow_delta, topics.jobs_notify]
        granted = self.link.subscribe(filters)
        if granted:
            self.link.emit(
                DeviceEvent(
                    self.thing,
                    "subscribed",
                    f"subscribed to {', '.join(granted)} (QoS 0)",
                    {"filters": granted},
                )
            )

    def _main_loop(self, stop: threading.Event) -> None:
        next_sample = time.monotonic()
        while not stop.is_set():
            now = time.monotonic()
            if now >= next_sample:
                self._publish_sample()
                next_sample = now + self.options.every
            message = self.link.next_message(min(next_sample - time.monotonic(), IDLE_POLL_S))
            if message is not None:
                self._on_message(message)
            connection = self.link.connection
            if connection is not None and connection.disconnection is not None:
                return  # the broker closed it: reported by the link

    def _publish_sample(self) -> None:
        uptime_ms = int((time.monotonic() - self.booted) * 1000)
        sample = {"temperature": 20 + random.randrange(10), "uptime_ms": uptime_ms}
        self.link.publish(self.topics.samples, sample)
        self.link.emit(
            DeviceEvent(
                self.thing,
                "published",
                f"published {json.dumps(sample)} to {self.topics.samples}",
                {"topic": self.topics.samples, "payload": sample},
            )
        )

    def _on_message(self, message: MqttMessage) -> None:
        topics = self.topics
        value = message.json_value()
        if message.topic == topics.commands:
            self.link.emit(
                DeviceEvent(
                    self.thing,
                    "command",
                    f"command received: {message.text()}",
                    {"topic": message.topic, "payload": message.text()},
                )
            )
        elif message.topic == topics.shadow_delta and isinstance(value, dict):
            state = value.get("state")
            if isinstance(state, dict):
                self.link.publish(topics.shadow_update, {"state": {"reported": state}})
                self.link.emit(
                    DeviceEvent(
                        self.thing,
                        "shadow",
                        f"shadow delta {json.dumps(state)}: reported it",
                        {"reported": state},
                    )
                )
        elif message.topic.startswith(topics.jobs_notify):
            for _ in range(MAX_RESETS_IN_A_ROW):
                if not self.fota.handle():
                    return
                self.link.reset("FOTA")
                self.booted = time.monotonic()
