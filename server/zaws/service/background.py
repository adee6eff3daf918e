"""What a server runs between requests: its simulated devices and its topic subscriptions.

One `Background` per server process, made with the server's way of sending a notification;
handed to the methods in their `CallContext`. The servers call `stop_all` when they exit
(shutdown, exit, the end of their input), so no device or subscription outlives its server:
what is running stops, and what is still starting (a start resolving its things, a subscription
waiting for its grant) is refused or stopped at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from zaws.devices.stopping import STOPS_WITHIN_S
from zaws.service.device_sessions import DeviceSessions
from zaws.service.notification_params import Notify
from zaws.service.topic_watches import TopicWatches


@dataclass(frozen=True)
class Background:
    devices: DeviceSessions
    watches: TopicWatches

    @classmethod
    def create(cls, notify: Notify) -> Background:
        return cls(DeviceSessions(notify), TopicWatches(notify))

    def stop_all(self, timeout: float = STOPS_WITHIN_S) -> None:
        """Every device disconnects and every subscription closes, at once, within `timeout`."""
        watches = threading.Thread(target=self.watches.stop_all, args=(timeout,), daemon=True)
        watches.start()
        self.devices.stop_all(timeout)
        watches.join(timeout)
