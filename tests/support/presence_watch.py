"""Who the emulator saw disconnect, and how: its lifecycle events, watched as the user's identity.

For tests that stop a server: each simulated device that disconnected cleanly has a
`$aws/events/presence/disconnected/<clientId>` event with `clientInitiatedDisconnect: true`; a
device left to die with its process has CONNECTION_LOST instead. Waits are bounded queue reads.
"""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from zaws.aws.settings import AwsSettings

DISCONNECTED = "$aws/events/presence/disconnected/+"


class PresenceWatch:
    def __init__(self, project: Path, aws: AwsSettings) -> None:
        from zaws.operations.mqtt_connect import open_connection, resolve_target

        self.connection = open_connection(resolve_target(project, aws=aws))
        outcomes = self.connection.subscribe([DISCONNECTED], qos=1)
        assert not any(outcome.refused for outcome in outcomes), outcomes
        self.seen: dict[str, dict[str, Any]] = {}

    def disconnected(self, client_ids: Iterable[str], timeout: float = 30) -> dict[str, Any]:
        """The disconnect event of each client id, waiting for those not seen yet."""
        wanted = set(client_ids)
        deadline = time.monotonic() + timeout
        while not wanted <= set(self.seen):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no disconnect event for {sorted(wanted - set(self.seen))}")
            try:
                message = self.connection.inbox.get(timeout=left)
            except queue.Empty:
                continue
            event = json.loads(message.payload)
            self.seen[event["clientId"]] = event
        return {client_id: self.seen[client_id] for client_id in wanted}

    def close(self) -> None:
        self.connection.close()
