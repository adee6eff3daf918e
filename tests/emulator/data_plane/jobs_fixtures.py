"""In-process moto backends with the emulator's job patches, and a DataPlane that records.

The services are tested here without the broker: `RecordingPlane` keeps every `deliver` and
`publish`, and moto's backends live in the test process, emptied for each test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from zaws.emulator.data_plane.services import ClientInfo, ConnectionListener, ReservedTopicService

ACCOUNT, REGION = "123456789012", "us-east-1"


@dataclass
class Message:
    client_id: str | None  # None: published to subscribers
    topic: str
    payload: bytes
    qos: int = 0
    retain: bool = False

    @property
    def body(self) -> Any:
        return json.loads(self.payload)


@dataclass
class RecordingPlane:
    sent: list[Message] = field(default_factory=list)
    listeners: list[ConnectionListener] = field(default_factory=list)

    def deliver(self, client_id: str, topic: str, payload: bytes, qos: int = 0) -> None:
        self.sent.append(Message(client_id, topic, payload, qos))

    def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        self.sent.append(Message(None, topic, payload, qos, retain))

    def on_connection_change(self, listener: ConnectionListener) -> None:
        self.listeners.append(listener)

    def register_service(self, service: ReservedTopicService) -> None:
        pass

    def take(self) -> list[Message]:
        sent, self.sent = self.sent, []
        return sent

    def only(self, topic: str) -> Message:
        matching = [message for message in self.take() if message.topic == topic]
        assert len(matching) == 1, matching
        return matching[0]


def client(thing: str = "dev_0") -> ClientInfo:
    return ClientInfo(thing, thing, ACCOUNT, REGION, 4, principal="cert", source_ip="127.0.0.1")


@pytest.fixture
def backends() -> Iterator[dict[str, Any]]:
    """moto's IoT, iot-data and S3 backends of the test account, empty, with the job patches."""
    from moto.backends import get_backend

    from zaws.emulator.iot_jobs import patch_jobs

    patch_jobs()
    for service in ("iot", "iot-data", "s3"):
        get_backend(service).reset()  # type: ignore[call-overload]
    yield {
        "iot": get_backend("iot")[ACCOUNT][REGION],
        "iot-data": get_backend("iot-data")[ACCOUNT][REGION],
        "s3": get_backend("s3")[ACCOUNT]["aws"],
    }
    for service in ("iot", "iot-data", "s3"):
        get_backend(service).reset()  # type: ignore[call-overload]


def create_job(iot: Any, job_id: str, things: list[str], **options: Any) -> None:
    targets = [iot.describe_thing(thing).arn for thing in things]
    iot.create_job(
        job_id,
        targets,
        options.get("document_source"),
        options.get("document", json.dumps({"operation": "fota"})),
        "",
        options.get("presigned_url_config", {}),
        "SNAPSHOT",
        {},
        {},
        {},
        {},
        {},
        {},
    )
