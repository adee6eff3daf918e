"""What a connection reports: messages as they arrive, and the typed outcome of each request.

Plain data, no paho: front ends format these, and `to_dict()` gives the JSON `zaws -J mqtt`
prints (`payload` is the parsed JSON when the payload is JSON, else its text, else null with
`payload_base64`).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

NOT_PARSED = object()


@dataclass(frozen=True)
class MqttMessage:
    topic: str
    payload: bytes
    qos: int
    retain: bool
    received_at: float  # time.time() when it arrived

    def text(self) -> str | None:
        """The payload as UTF-8 text, None when it is not."""
        try:
            return self.payload.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def json_value(self) -> Any:
        """The payload parsed as JSON, or NOT_PARSED."""
        text = self.text()
        if text is None or not text.strip():
            return NOT_PARSED
        try:
            return json.loads(text)
        except ValueError:
            return NOT_PARSED

    def time_text(self) -> str:
        moment = datetime.fromtimestamp(self.received_at, UTC).astimezone()
        return moment.isoformat(timespec="milliseconds")

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"topic": self.topic}
        value = self.json_value()
        if value is not NOT_PARSED:
            data["payload"] = value
        elif (text := self.text()) is not None:
            data["payload"] = text
        else:
            data["payload"] = None
            data["payload_base64"] = base64.b64encode(self.payload).decode()
        data.update(qos=self.qos, retain=self.retain, time=self.time_text())
        return data


@dataclass(frozen=True)
class Connected:
    client_id: str
    endpoint: str  # in words: "AWS IoT at ... (host:port)"
    identity: str  # "thing sensor_0" or "AWS identity (WebSocket, SigV4)"
    session_present: bool = False


@dataclass(frozen=True)
class SubscriptionOutcome:
    topic_filter: str
    granted_qos: int | None  # None: refused (SUBACK 0x80, or 0x87 and others on MQTT 5)
    reason: str | None = None  # the broker's reason when refused

    @property
    def refused(self) -> bool:
        return self.granted_qos is None


@dataclass(frozen=True)
class Published:
    topic: str
    qos: int
    retain: bool
    size: int
    acknowledged: bool  # QoS 1: PUBACK received; QoS 0: written and followed by a round trip


@dataclass
class Disconnection:
    """Why the connection ended: asked for (`expected`), or the broker closed it."""

    expected: bool
    reason: str
    before_connack: bool = False
    reason_code: int | None = None
    details: list[str] = field(default_factory=list)
