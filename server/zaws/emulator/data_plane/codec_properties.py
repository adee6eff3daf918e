"""MQTT 5 properties (spec 2.2.2): the immutable `Properties` mapping, the table of every property
(identifier, data type, the packets that may carry it, the values it may take), and their bytes.

The bytes are in ascending identifier order, as paho-mqtt's `Properties.pack()` writes them, so the
two can be compared byte for byte. Decoding refuses what the spec calls malformed (an identifier
unknown or not allowed in that packet, a value past the end) or a protocol error (a single-valued
property twice, a value out of its range).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from zaws.emulator.data_plane.codec_errors import PROTOCOL_ERROR, MalformedPacket
from zaws.emulator.data_plane.codec_wire import (
    MAX_VARINT,
    encode_binary,
    encode_utf8,
    encode_varint,
    pack_u16,
    pack_u32,
    read_binary,
    read_u16,
    read_utf8,
    read_varint,
    unpack_u32,
)

PropertyValue = int | str | bytes | tuple[tuple[str, str], ...] | tuple[int, ...]

# Where a property may appear: the packet type numbers (spec 2.1.2), and WILL for a CONNECT's will.
CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP = 1, 2, 3, 4, 5, 6, 7
SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH = 8, 9, 10, 11, 14, 15
WILL = 16

BYTE, TWO_BYTES, FOUR_BYTES, VARINT, BINARY, UTF8, UTF8_PAIR = range(7)
_INTEGER_RANGES = {BYTE: 0xFF, TWO_BYTES: 0xFFFF, FOUR_BYTES: 0xFFFF_FFFF, VARINT: MAX_VARINT}


class PropertyKind(NamedTuple):
    identifier: int
    name: str
    data_type: int
    packets: frozenset[int]
    minimum: int = 0
    maximum: int | None = None  # None: the data type's own maximum


_ACKS = frozenset({PUBACK, PUBREC, PUBREL, PUBCOMP})
_MESSAGE = frozenset({PUBLISH, WILL})
_SESSION = frozenset({CONNECT, CONNACK, DISCONNECT})
_REPLIES = _ACKS | {CONNACK, SUBACK, UNSUBACK, DISCONNECT, AUTH}
_ALL = frozenset({CONNECT, CONNACK, PUBLISH, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT})
KINDS = (
    PropertyKind(0x01, "payload_format_indicator", BYTE, _MESSAGE, 0, 1),
    PropertyKind(0x02, "message_expiry_interval", FOUR_BYTES, _MESSAGE),
    PropertyKind(0x03, "content_type", UTF8, _MESSAGE),
    PropertyKind(0x08, "response_topic", UTF8, _MESSAGE),
    PropertyKind(0x09, "correlation_data", BINARY, _MESSAGE),
    PropertyKind(0x0B, "subscription_identifier", VARINT, frozenset({PUBLISH, SUBSCRIBE}), 1),
    PropertyKind(0x11, "session_expiry_interval", FOUR_BYTES, _SESSION),
    PropertyKind(0x12, "assigned_client_identifier", UTF8, frozenset({CONNACK})),
    PropertyKind(0x13, "server_keep_alive", TWO_BYTES, frozenset({CONNACK})),
    PropertyKind(0x15, "authentication_method", UTF8, frozenset({CONNECT, CONNACK, AUTH})),
    PropertyKind(0x16, "authentication_data", BINARY, frozenset({CONNECT, CONNACK, AUTH})),
    PropertyKind(0x17, "request_problem_information", BYTE, frozenset({CONNECT}), 0, 1),
    PropertyKind(0x18, "will_delay_interval", FOUR_BYTES, frozenset({WILL})),
    PropertyKind(0x19, "request_response_information", BYTE, frozenset({CONNECT}), 0, 1),
    PropertyKind(0x1A, "response_information", UTF8, frozenset({CONNACK})),
    PropertyKind(0x1C, "server_reference", UTF8, frozenset({CONNACK, DISCONNECT})),
    PropertyKind(0x1F, "reason_string", UTF8, _REPLIES),
    PropertyKind(0x21, "receive_maximum", TWO_BYTES, frozenset({CONNECT, CONNACK}), 1),
    PropertyKind(0x22, "topic_alias_maximum", TWO_BYTES, frozenset({CONNECT, CONNACK})),
    PropertyKind(0x23, "topic_alias", TWO_BYTES, frozenset({PUBLISH}), 1),
    PropertyKind(0x24, "maximum_qos", BYTE, frozenset({CONNACK}), 0, 1),
    PropertyKind(0x25, "retain_available", BYTE, frozenset({CONNACK}), 0, 1),
    PropertyKind(0x26, "user_property", UTF8_PAIR, _ALL | _ACKS | {AUTH, WILL}),
    PropertyKind(0x27, "maximum_packet_size", FOUR_BYTES, frozenset({CONNECT, CONNACK}), 1),
    PropertyKind(0x28, "wildcard_subscription_available", BYTE, frozenset({CONNACK}), 0, 1),
    PropertyKind(0x29, "subscription_identifier_available", BYTE, frozenset({CONNACK}), 0, 1),
    PropertyKind(0x2A, "shared_subscription_available", BYTE, frozenset({CONNACK}), 0, 1),
)
BY_NAME = {kind.name: kind for kind in KINDS}
BY_IDENTIFIER = {kind.identifier: kind for kind in KINDS}
MULTIPLE = frozenset({"user_property", "subscription_identifier"})


class Properties(Mapping[str, PropertyValue]):
    """An immutable mapping of MQTT 5 property names to values; hashable, equal to any mapping with
    the same items. `Properties(session_expiry_interval=60, user_property=[("a", "b")])`.

    "user_property" is a tuple of (name, value) pairs and "subscription_identifier" a tuple of ints
    (a single int is accepted and stored as a 1-tuple); an empty one is no property. An unknown
    name, a value of the wrong type or out of its range is a TypeError or ValueError here."""

    __slots__ = ("_items",)
    _items: dict[str, PropertyValue]

    def __init__(self, items: Mapping[str, object] | None = None, /, **more: object) -> None:
        merged = {**(items or {}), **more}
        checked = {name: _checked(name, value) for name, value in merged.items()}
        self._items = {name: value for name, value in checked.items() if value != ()}

    @classmethod
    def _trusted(cls, items: dict[str, PropertyValue]) -> Properties:
        properties = cls.__new__(cls)
        properties._items = items
        return properties

    def __getitem__(self, name: str) -> PropertyValue:
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"Properties({self._items!r})"


NO_PROPERTIES = Properties()


def _checked(name: str, value: object) -> PropertyValue:
    kind = BY_NAME.get(name)
    if kind is None:
        raise TypeError(f"{name!r} is not an MQTT 5 property")
    if name == "user_property":
        if isinstance(value, tuple | list) and all(
            isinstance(pair, tuple | list)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and isinstance(pair[1], str)
            for pair in value
        ):
            return tuple((str(pair[0]), str(pair[1])) for pair in value)
        raise TypeError("user_property is a list of (name, value) string pairs")
    if name == "subscription_identifier":
        values = (value,) if isinstance(value, int) else value
        if not isinstance(values, tuple | list):
            raise TypeError("subscription_identifier is an int or a tuple of ints")
        return tuple(_checked_integer(kind, each) for each in values)
    if kind.data_type == UTF8:
        if not isinstance(value, str):
            raise TypeError(f"{name} is a str")
        return value
    if kind.data_type == BINARY:
        if not isinstance(value, bytes | bytearray):
            raise TypeError(f"{name} is bytes")
        return bytes(value)
    return _checked_integer(kind, value)


def _checked_integer(kind: PropertyKind, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{kind.name} is an int")
    maximum = _INTEGER_RANGES[kind.data_type] if kind.maximum is None else kind.maximum
    if not kind.minimum <= value <= maximum:
        raise ValueError(f"{kind.name} is {kind.minimum}..{maximum}, not {value}")
    return value


def encode_properties(properties: Properties, packet: int) -> bytes:
    """The property length and the properties, in ascending identifier order."""
    if not properties:
        return b"\x00"
    parts: list[bytes] = []
    items = properties._items
    for name in sorted(items, key=_IDENTIFIERS.__getitem__) if len(items) > 1 else items:
        kind = BY_NAME[name]
        if packet not in kind.packets:
            raise ValueError(f"{name} is not allowed in this packet")
        value = items[name]
        if name in MULTIPLE:
            parts.extend(_encode_one(kind, each) for each in value)  # type: ignore[union-attr]
        else:
            parts.append(_encode_one(kind, value))
    body = b"".join(parts)
    return encode_varint(len(body)) + body


_IDENTIFIERS = {kind.name: kind.identifier for kind in KINDS}
_PREFIXES = {kind.identifier: bytes((kind.identifier,)) for kind in KINDS}


def _encode_one(kind: PropertyKind, value: Any) -> bytes:
    identifier = _PREFIXES[kind.identifier]
    data_type = kind.data_type
    if data_type == UTF8_PAIR:
        name, text = value
        return identifier + encode_utf8(name) + encode_utf8(text)
    if data_type == UTF8:
        return identifier + encode_utf8(value)
    if data_type == BINARY:
        return identifier + encode_binary(value)
    if data_type == BYTE:
        return identifier + bytes((value,))
    if data_type == TWO_BYTES:
        return identifier + pack_u16(value)
    if data_type == FOUR_BYTES:
        return identifier + pack_u32(value)
    return identifier + encode_varint(value)


def decode_properties(body: bytes, pos: int, end: int, packet: int) -> tuple[Properties, int]:
    """The properties at `pos` (property length first) and the position after them."""
    length, pos = read_varint(body, pos, end)
    if length == 0:
        return NO_PROPERTIES, pos
    stop = pos + length
    if stop > end:
        raise MalformedPacket("properties past the end of the packet")
    items: dict[str, PropertyValue] = {}
    while pos < stop:
        identifier = body[pos]  # a variable byte integer, but every defined one is < 0x80
        pos += 1
        kind = BY_IDENTIFIER.get(identifier)
        if kind is None or packet not in kind.packets:
            raise MalformedPacket(f"property 0x{identifier:02x} is not allowed in this packet")
        value, pos = _decode_one(kind, body, pos, stop)
        name = kind.name
        if name in MULTIPLE:
            items[name] = (*items.get(name, ()), value)  # type: ignore[misc]
        elif name in items:
            raise MalformedPacket(f"{name} more than once", PROTOCOL_ERROR)
        else:
            items[name] = value
    return Properties._trusted(items), pos


def _decode_one(kind: PropertyKind, body: bytes, pos: int, stop: int) -> tuple[Any, int]:
    data_type = kind.data_type
    if data_type == UTF8_PAIR:
        name, pos = read_utf8(body, pos, stop)
        text, pos = read_utf8(body, pos, stop)
        return (name, text), pos
    if data_type == UTF8:
        return read_utf8(body, pos, stop)
    if data_type == BINARY:
        return read_binary(body, pos, stop)
    if data_type == BYTE:
        if pos >= stop:
            raise MalformedPacket(f"{kind.name} past the end of the properties")
        value, pos = body[pos], pos + 1
    elif data_type == TWO_BYTES:
        value, pos = read_u16(body, pos, stop)
    elif data_type == FOUR_BYTES:
        if pos + 4 > stop:
            raise MalformedPacket(f"{kind.name} past the end of the properties")
        value, pos = unpack_u32(body, pos)[0], pos + 4
    else:
        value, pos = read_varint(body, pos, stop)
    maximum = _INTEGER_RANGES[data_type] if kind.maximum is None else kind.maximum
    if not kind.minimum <= value <= maximum:
        raise MalformedPacket(f"{kind.name} of {value} is out of range", PROTOCOL_ERROR)
    return value, pos
