"""`zaws mqtt publish`: one message to a topic of a project's endpoint, as the user or a thing.

Steps: check the topic, QoS and size as AWS IoT would (no wildcards, QoS 0 or 1, 128 KB);
resolve the endpoint and identity; connect (a refusal says why); publish and wait until the
broker has handled it (QoS 1: its PUBACK; QoS 0: a round trip after it), so an unauthorized
PUBLISH, which AWS answers by closing the connection, is reported with the policy's reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput

MAX_PAYLOAD_BYTES = 128 * 1024
MAX_TOPIC_BYTES = 256


@dataclass(frozen=True)
class MessagePublished:
    topic: str
    qos: int
    retain: bool
    size: int
    client_id: str
    identity: str
    endpoint: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "qos": self.qos,
            "retain": self.retain,
            "size": self.size,
            "client_id": self.client_id,
            "identity": self.identity,
            "endpoint": self.endpoint,
        }


def publish_message(
    project: Path,
    topic: str,
    payload: bytes,
    *,
    aws: AwsSettings,
    thing: str | None = None,
    qos: int = 0,
    retain: bool = False,
) -> MessagePublished:
    from zaws.mqtt.connection import ConnectionLost
    from zaws.operations.mqtt_connect import open_connection, resolve_target
    from zaws.operations.mqtt_refusals import explain_lost_publication

    check_topic(topic)
    if qos not in (0, 1):
        raise InvalidInput(f"QoS {qos} is not one AWS IoT supports", "use 0 or 1")
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise InvalidInput(
            f"The message is {len(payload)} bytes; AWS IoT takes at most {MAX_PAYLOAD_BYTES}"
        )
    target = resolve_target(project, aws=aws, thing=thing)
    connection = open_connection(target)
    try:
        published = connection.publish(topic, payload, qos=qos, retain=retain)
    except ConnectionLost as lost:
        raise explain_lost_publication(target, topic, lost) from None
    finally:
        connection.close()
    return MessagePublished(
        topic=published.topic,
        qos=published.qos,
        retain=published.retain,
        size=published.size,
        client_id=target.identity.client_id,
        identity=target.identity.describe(),
        endpoint=target.endpoint.describe(),
    )


def check_topic(topic: str) -> None:
    if not topic:
        raise InvalidInput("The topic cannot be empty")
    if "+" in topic or "#" in topic:
        raise InvalidInput(
            f"Bad topic {topic!r}: + and # are for subscriptions", "publish to a topic name"
        )
    if len(topic.encode()) > MAX_TOPIC_BYTES:
        raise InvalidInput(f"The topic is longer than AWS IoT's {MAX_TOPIC_BYTES} bytes")
