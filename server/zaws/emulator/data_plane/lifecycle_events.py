"""AWS IoT's lifecycle events: `$aws/events/presence/connected/<clientId>` and
`.../disconnected/<clientId>`, published when a client connects or goes, to the subscribers
iot:Receive allows (the broker checks each delivery).

The payloads are AWS's (`life-cycle-events`): `clientId`, `timestamp` (ms), `eventType`,
`sessionIdentifier` (one per connection, the same in its connect and disconnect), the
`principalIdentifier` (the certificate id, or the access key of a SigV4 client), `ipAddress`,
`versionNumber` (per client id, for ordering the events), and on disconnect
`clientInitiatedDisconnect` and `disconnectReason` (e.g. CLIENT_INITIATED_DISCONNECT,
DUPLICATE_CLIENTID, MQTT_KEEP_ALIVE_TIMEOUT). AWS sends none for client ids with `#` or `+`.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

from zaws.emulator.data_plane.services import ClientInfo, DataPlane

PRESENCE = "$aws/events/presence"


class LifecycleEvents:
    def __init__(self, plane: DataPlane) -> None:
        self.plane = plane
        self._lock = threading.Lock()
        self._sessions: dict[str, str] = {}  # client id -> its connection's session identifier
        self._versions: dict[str, int] = {}
        plane.on_connection_change(self.connection_changed)

    def connection_changed(self, client: ClientInfo, connected: bool, reason: str) -> None:
        client_id = client.client_id
        if "#" in client_id or "+" in client_id:
            return
        with self._lock:
            if connected:
                session = str(uuid.uuid4())
                self._sessions[client_id] = session
            else:
                session = self._sessions.pop(client_id, "") or str(uuid.uuid4())
            version = self._versions.get(client_id, 0) + (1 if connected else 0)
            self._versions[client_id] = version
        event: dict[str, Any] = {
            "clientId": client_id,
            "timestamp": int(time.time() * 1000),
            "eventType": "connected" if connected else "disconnected",
            "sessionIdentifier": session,
            "principalIdentifier": client.principal or "",
        }
        if not connected:
            event["clientInitiatedDisconnect"] = reason == "CLIENT_INITIATED_DISCONNECT"
            event["disconnectReason"] = reason
        if client.source_ip:
            event["ipAddress"] = client.source_ip
        event["versionNumber"] = version
        topic = f"{PRESENCE}/{event['eventType']}/{client_id}"
        self.plane.publish(topic, json.dumps(event, separators=(",", ":")).encode())
