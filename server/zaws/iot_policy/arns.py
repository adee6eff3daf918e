"""The requests the broker authorizes: an action and the resource ARN AWS IoT checks it on.

`iot:Connect` on `client/<clientId>`, `iot:Publish`, `iot:Receive` and `iot:RetainPublish` on
`topic/<topicName>`, `iot:Subscribe` on `topicfilter/<filter>` (iot-policy-actions), all as
`arn:aws:iot:<region>:<account>:...`. `IotArns` builds them for one region and account.
"""

from __future__ import annotations

from dataclasses import dataclass

CONNECT = "iot:Connect"
PUBLISH = "iot:Publish"
SUBSCRIBE = "iot:Subscribe"
RECEIVE = "iot:Receive"
RETAIN_PUBLISH = "iot:RetainPublish"


@dataclass(frozen=True, slots=True)
class Request:
    action: str
    resource: str


@dataclass(frozen=True)
class IotArns:
    region: str
    account: str
    partition: str = "aws"

    @property
    def prefix(self) -> str:
        return f"arn:{self.partition}:iot:{self.region}:{self.account}:"

    def client(self, client_id: str) -> str:
        return f"{self.prefix}client/{client_id}"

    def topic(self, topic: str) -> str:
        return f"{self.prefix}topic/{topic}"

    def topicfilter(self, topic_filter: str) -> str:
        return f"{self.prefix}topicfilter/{topic_filter}"

    def connect(self, client_id: str) -> Request:
        return Request(CONNECT, self.client(client_id))

    def publish(self, topic: str) -> Request:
        return Request(PUBLISH, self.topic(topic))

    def retain_publish(self, topic: str) -> Request:
        return Request(RETAIN_PUBLISH, self.topic(topic))

    def subscribe(self, topic_filter: str) -> Request:
        return Request(SUBSCRIBE, self.topicfilter(topic_filter))

    def receive(self, topic: str) -> Request:
        return Request(RECEIVE, self.topic(topic))


def short_resource(arn: str) -> str:
    """`arn:aws:iot:r:a:topic/x` -> `topic/x`: the part of an ARN a person needs to read."""
    parts = arn.split(":", 5)
    return parts[5] if len(parts) == 6 and parts[0] == "arn" else arn
