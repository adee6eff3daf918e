"""MQTT sessions: what the broker keeps per client id, across reconnections when asked to.

A session holds the client's subscriptions (their filters live in the broker's subscription tree,
keyed by client id), the QoS 1 messages sent and not yet acknowledged, and those waiting for room
(AWS allows 100 unacknowledged in flight) or, for a persistent session, for the client to come
back. AWS IoT keeps a persistent session (MQTT 3.1.1 cleanSession=0; MQTT 5 a session expiry
interval) for an hour after the client went away, then forgets it (`SessionStore.expire`). On a
reconnection the unacknowledged messages are sent again with DUP set, then the queued ones.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

MAX_IN_FLIGHT = 100  # unacknowledged QoS 1 messages per client (AWS IoT's limit)
MAX_QUEUED = 10_000  # messages kept for one offline or slow client; beyond, the oldest are lost
DEFAULT_EXPIRY_S = 3600.0  # AWS IoT's persistent session expiry
MAX_EXPIRY_S = 7 * 24 * 3600.0


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message on its way to one client: what the PUBLISH will carry."""

    topic: str
    payload: bytes
    qos: int
    retain: bool = False


@dataclass
class Session:
    client_id: str
    subscriptions: dict[str, int] = field(default_factory=dict)  # filter -> granted QoS
    in_flight: OrderedDict[int, Outgoing] = field(default_factory=OrderedDict)
    waiting: deque[Outgoing] = field(default_factory=deque)
    expiry_s: float = 0.0  # how long it outlives its connection; 0: ends with it
    disconnected_at: float | None = None
    authorization: Any = None  # the last connection's `Authorization`, for iot:Receive offline
    max_in_flight: int = MAX_IN_FLIGHT  # lower if the MQTT 5 client's Receive Maximum is
    _last_packet_id: int = 0

    def next_packet_id(self) -> int:
        for _ in range(65535):
            self._last_packet_id = self._last_packet_id % 65535 + 1
            if self._last_packet_id not in self.in_flight:
                return self._last_packet_id
        raise RuntimeError("no free packet id")  # cannot happen with MAX_IN_FLIGHT < 65535

    def queue(self, message: Outgoing) -> None:
        if len(self.waiting) >= MAX_QUEUED:
            self.waiting.popleft()
        self.waiting.append(message)

    def has_room(self) -> bool:
        return len(self.in_flight) < self.max_in_flight

    def expired(self, now: float) -> bool:
        return self.disconnected_at is not None and now - self.disconnected_at >= self.expiry_s


class SessionStore:
    """Sessions by client id: the connected ones and the persistent ones still kept."""

    def __init__(self) -> None:
        self.sessions: dict[str, Session] = {}

    def open(self, client_id: str, clean_start: bool, expiry_s: float) -> tuple[Session, bool]:
        """The session for a new connection and whether it was present (resumed)."""
        now = time.monotonic()
        existing = self.sessions.get(client_id)
        if existing is not None and (clean_start or existing.expired(now)):
            existing = None
        session = existing or Session(client_id)
        session.expiry_s = min(max(expiry_s, 0.0), MAX_EXPIRY_S)
        session.disconnected_at = None
        self.sessions[client_id] = session
        return session, existing is not None

    def closed(self, session: Session) -> bool:
        """The connection ended: True if the session ends with it (the caller drops its
        subscriptions), False if it is kept for a later reconnection."""
        if session.expiry_s <= 0:
            if self.sessions.get(session.client_id) is session:
                del self.sessions[session.client_id]
            return True
        session.disconnected_at = time.monotonic()
        return False

    def expire(self) -> list[Session]:
        """Forget the persistent sessions whose client has been away too long; returns them."""
        now = time.monotonic()
        gone = [s for s in self.sessions.values() if s.expired(now)]
        for session in gone:
            del self.sessions[session.client_id]
        return gone
