"""What a simulated device reports: one typed event per thing it does or suffers.

Front ends print `text` (one line a event on a terminal) or `to_dict()` (one JSON object a line
with -J); servers will forward them as notifications. Plain data: no MQTT here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

EventKind = Literal[
    "connected",
    "subscribed",
    "refused",
    "published",
    "command",
    "shadow",
    "job",
    "downloaded",
    "reset",
    "timeout",
    "note",
    "error",
    "disconnected",
]


@dataclass(frozen=True)
class DeviceEvent:
    thing: str
    kind: EventKind
    text: str  # in words, for people
    data: dict[str, Any] = field(default_factory=dict)  # the facts, for programs
    at: float = field(default_factory=time.time)

    def line(self) -> str:
        moment = datetime.fromtimestamp(self.at, UTC).astimezone().strftime("%H:%M:%S.%f")[:-3]
        return f"{moment} {self.thing}: {self.text}"

    def to_dict(self) -> dict[str, Any]:
        when = datetime.fromtimestamp(self.at, UTC).astimezone().isoformat(timespec="milliseconds")
        return {
            "thing": self.thing,
            "event": self.kind,
            "message": self.text,
            **self.data,
            "time": when,
        }


def job_event(thing: str, job_id: str, status: str, text: str, **data: Any) -> DeviceEvent:
    """`job <id> <STATUS>`: a job execution the device moved (or tried to)."""
    return DeviceEvent(
        thing, "job", f"job {job_id} {status}{text}", {"job_id": job_id, "status": status, **data}
    )
