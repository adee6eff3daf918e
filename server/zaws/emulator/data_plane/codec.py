"""MQTT 3.1.1 and 5 packets as values, and their bytes on the wire, for the emulator's broker.

Why our own: no packaged sans-I/O MQTT codec speaks both versions (see the package docstring). This
module is sans-I/O: `PacketReader` is fed whatever bytes a socket gave and returns whole packets, or
raises `MalformedPacket` (with the MQTT 5 reason code a DISCONNECT should carry) for every kind of
bad input, before buffering more than `max_packet_size` bytes; `encode` turns a packet back into
bytes for a given protocol level. The broker never sees a half-checked packet: what the spec says a
receiver MUST reject (reserved flag bits, QoS 3, packet id 0, invalid UTF-8 or U+0000 in strings,
wildcards in a PUBLISH topic, an empty SUBSCRIBE, properties a packet may not carry...) is rejected
here.

Properties are MQTT 5's, named as in the spec in snake_case ("session_expiry_interval",
"user_property"...). Two may occur more than once and are always tuples: "user_property" (a tuple of
(name, value) pairs, in order) and "subscription_identifier" (a tuple of ints: a PUBLISH may carry
several, a SUBSCRIBE exactly one). On MQTT 3.1.1 every packet's properties are empty.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

MQTT_311 = 4
MQTT_5 = 5

# MQTT 5 reason codes that a MalformedPacket carries (and a DISCONNECT or CONNACK then sends).
MALFORMED_PACKET = 0x81
PROTOCOL_ERROR = 0x82
UNSUPPORTED_PROTOCOL_VERSION = 0x84
TOPIC_FILTER_INVALID = 0x8F
TOPIC_NAME_INVALID = 0x90
PACKET_TOO_LARGE = 0x95

PropertyValue = int | str | bytes | tuple[tuple[str, str], ...] | tuple[int, ...]


class MalformedPacket(Exception):
    """Bytes that are not an acceptable MQTT packet; `reason_code` is MQTT 5's reason for it."""

    def __init__(self, message: str, reason_code: int = MALFORMED_PACKET) -> None:
        super().__init__(message)
        self.reason_code = reason_code


class UnsupportedProtocolVersion(MalformedPacket):
    """A CONNECT for a protocol level other than 4 (3.1.1) or 5: answer CONNACK 0x01 or 0x84."""

    def __init__(self, protocol_name: str, protocol_level: int) -> None:
        super().__init__(
            f"unsupported protocol {protocol_name!r} level {protocol_level}",
            UNSUPPORTED_PROTOCOL_VERSION,
        )
        self.protocol_name = protocol_name
        self.protocol_level = protocol_level


class Properties(Mapping[str, PropertyValue]):
    """An immutable mapping of MQTT 5 property names to values; hashable, equal to any mapping with
    the same items. `Properties(session_expiry_interval=60, user_property=[("a", "b")])`."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, object] | None = None, /, **more: object) -> None:
        merged = {**(items or {}), **more}
        self._items: dict[str, PropertyValue] = {
            name: _checked_property(name, value) for name, value in merged.items()
        }

    def __getitem__(self, name: str) -> PropertyValue:
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"Properties({dict(self)!r})"


def _checked_property(name: str, value: object) -> PropertyValue:
    """The value as stored: multi-valued properties as tuples; unknown names are a TypeError."""
    raise NotImplementedError


NO_PROPERTIES = Properties()


@dataclass(frozen=True, slots=True)
class Will:
    topic: str
    payload: bytes
    qos: int = 0
    retain: bool = False
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Connect:
    protocol_level: int
    client_id: str
    clean_start: bool = True
    keep_alive: int = 0
    username: str | None = None
    password: bytes | None = None
    will: Will | None = None
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Connack:
    """`reason_code` is the 3.1.1 return code (0-5) or the MQTT 5 reason code."""

    session_present: bool
    reason_code: int = 0
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Publish:
    """`packet_id` is None for QoS 0 and 1-65535 otherwise. On MQTT 5 `topic` may be "" when the
    properties carry a "topic_alias" (resolving aliases is the broker's job)."""

    topic: str
    payload: bytes
    qos: int = 0
    retain: bool = False
    dup: bool = False
    packet_id: int | None = None
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Puback:
    packet_id: int
    reason_code: int = 0
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Pubrec:
    packet_id: int
    reason_code: int = 0
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Pubrel:
    packet_id: int
    reason_code: int = 0
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Pubcomp:
    packet_id: int
    reason_code: int = 0
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Subscription:
    """One topic filter of a SUBSCRIBE; the last three options exist on MQTT 5 only."""

    topic_filter: str
    qos: int = 0
    no_local: bool = False
    retain_as_published: bool = False
    retain_handling: int = 0


@dataclass(frozen=True, slots=True)
class Subscribe:
    packet_id: int
    subscriptions: tuple[Subscription, ...]
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Suback:
    """One code per subscription: granted QoS 0-2 or 0x80 (3.1.1), or MQTT 5 reason codes."""

    packet_id: int
    reason_codes: tuple[int, ...]
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    packet_id: int
    topic_filters: tuple[str, ...]
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Unsuback:
    """`reason_codes` is empty on MQTT 3.1.1 (its UNSUBACK has none), one per filter on MQTT 5."""

    packet_id: int
    reason_codes: tuple[int, ...] = ()
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Pingreq:
    pass


@dataclass(frozen=True, slots=True)
class Pingresp:
    pass


@dataclass(frozen=True, slots=True)
class Disconnect:
    reason_code: int = 0
    properties: Properties = NO_PROPERTIES


@dataclass(frozen=True, slots=True)
class Auth:
    """MQTT 5 only."""

    reason_code: int = 0
    properties: Properties = NO_PROPERTIES


Packet = (
    Connect
    | Connack
    | Publish
    | Puback
    | Pubrec
    | Pubrel
    | Pubcomp
    | Subscribe
    | Suback
    | Unsubscribe
    | Unsuback
    | Pingreq
    | Pingresp
    | Disconnect
    | Auth
)

Sender = Literal["client", "server"]


@dataclass(slots=True)
class PacketReader:
    """Whole packets out of a byte stream, fed in pieces of any size.

    `PacketReader(max_packet_size)` reads what a client sends a server: the first packet must be
    CONNECT, whose level then sets `protocol_level`. `PacketReader.of_server(max, level)` reads what
    a server sends a client of that level. After a MalformedPacket the reader is spent: every
    later `feed` raises it again.
    """

    max_packet_size: int
    protocol_level: int | None = None
    sender: Sender = "client"
    _buffer: bytearray = field(default_factory=bytearray)
    _error: MalformedPacket | None = None

    @classmethod
    def of_server(cls, max_packet_size: int, protocol_level: int) -> PacketReader:
        return cls(max_packet_size, protocol_level, "server")

    def feed(self, data: bytes) -> list[Packet]:
        raise NotImplementedError


def encode(packet: Packet, protocol_level: int) -> bytes:
    """The bytes of `packet` on a connection of `protocol_level` (MQTT_311 or MQTT_5).

    Raises ValueError for a packet that cannot be sent at that level (a programming error, e.g. an
    AUTH on 3.1.1 or properties on 3.1.1)."""
    raise NotImplementedError


def is_valid_topic_name(topic: str) -> bool:
    """A PUBLISH topic: not empty, no wildcards."""
    raise NotImplementedError


def is_valid_topic_filter(topic_filter: str) -> bool:
    """A SUBSCRIBE filter: not empty, `#` only as the whole last level, `+` only as a level."""
    raise NotImplementedError
