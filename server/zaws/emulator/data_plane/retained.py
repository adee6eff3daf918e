"""Retained messages as AWS IoT Core keeps them: one per topic, sent only to exact-match filters.

A PUBLISH with RETAIN and a payload replaces the topic's retained message, one with an empty
payload deletes it; `$` topics keep none. AWS sends the retained message only to a subscription
whose filter is that very topic (a wildcard filter gets later messages, not the retained one),
with the RETAIN flag set on that copy alone. They survive an emulator restart, as AWS keeps them:
the endpoint saves them on stop (`save`) and loads them on start (`load`), as JSON.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("zaws.emulator.mqtt")


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

    def save(self, path: Path) -> None:
        kept = [
            {"topic": m.topic, "payload": base64.b64encode(m.payload).decode(), "qos": m.qos}
            for m in self._by_topic.values()
        ]
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(kept, handle)
        os.replace(tmp, path)

    def load(self, path: Path) -> None:
        """The messages `save` kept; an unreadable file is ignored (logged), as the state is."""
        if not path.is_file():
            return
        try:
            for entry in json.loads(path.read_text()):
                payload = base64.b64decode(entry["payload"])
                self.keep(str(entry["topic"]), payload, int(entry["qos"]))
        except (OSError, ValueError, KeyError, TypeError) as err:
            log.warning("ignoring unreadable retained messages %s: %s", path, err)
