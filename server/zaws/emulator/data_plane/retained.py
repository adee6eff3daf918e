"""Retained messages as AWS IoT Core keeps them: one per topic, sent only to exact-match filters.

A PUBLISH with RETAIN and a payload replaces the topic's retained message, one with an empty
payload deletes it; `$` topics keep none. AWS sends the retained message only to a subscription
whose filter is that very topic (a wildcard filter gets later messages, not the retained one),
with the RETAIN flag set on that copy alone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetainedMessage:
    topic: str
    payload: bytes
    qos: int


class RetainedMessages:
    def __init__(self) -> None:
        self._by_topic: dict[str, RetainedMessage] = {}

    def keep(self, topic: str, payload: bytes, qos: int) -> None:
        if topic.startswith("$"):
            return
        if payload:
            self._by_topic[topic] = RetainedMessage(topic, payload, qos)
        else:
            self._by_topic.pop(topic, None)

    def for_filter(self, topic_filter: str) -> RetainedMessage | None:
        """The message a new subscription to `topic_filter` gets: exact topics only."""
        if "+" in topic_filter or "#" in topic_filter:
            return None
        return self._by_topic.get(topic_filter)

    def __len__(self) -> int:
        return len(self._by_topic)
