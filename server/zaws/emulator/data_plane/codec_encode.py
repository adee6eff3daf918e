"""From a packet value to its bytes, for MQTT 3.1.1 and 5 (spec 3.x).

What cannot be said at a level is a ValueError, a programming error: properties or an AUTH on
3.1.1, a reason code 3.1.1 has no byte for, a QoS 1 PUBLISH without a packet id. Short forms are
used where the spec allows them (an MQTT 5 PUBACK of success without properties is 2 bytes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zaws.emulator.data_plane.codec_decode import SUBACK_311_CODES
from zaws.emulator.data_plane.codec_packets import (
    MQTT_5,
    MQTT_311,
    Auth,
    Connack,
    Connect,
    Disconnect,
    Packet,
    Pingreq,
    Pingresp,
    Puback,
    Pubcomp,
    Publish,
    Pubrec,
    Pubrel,
    Suback,
    Subscribe,
    Unsuback,
    Unsubscribe,
)
from zaws.emulator.data_plane.codec_properties import WILL, Properties, encode_properties
from zaws.emulator.data_plane.codec_wire import (
    MAX_VARINT,
    encode_binary,
    encode_utf8,
    encode_varint,
    pack_u16,
)

_PROTOCOL_NAME = encode_utf8("MQTT")


def encode(packet: Packet, protocol_level: int) -> bytes:
    """The bytes of `packet` on a connection of `protocol_level` (MQTT_311 or MQTT_5)."""
    if protocol_level not in (MQTT_311, MQTT_5):
        raise ValueError(f"protocol level {protocol_level} is neither 3.1.1 nor 5")
    encoder = _ENCODERS.get(type(packet))
    if encoder is None:
        raise TypeError(f"{packet!r} is not an MQTT packet")
    first_byte, body = encoder(packet, protocol_level == MQTT_5)
    if len(body) > MAX_VARINT:
        raise ValueError(f"a packet of {len(body)} bytes is longer than MQTT allows")
    return bytes((first_byte,)) + encode_varint(len(body)) + body


def _properties(properties: Properties, v5: bool, packet: int) -> bytes:
    if v5:
        return encode_properties(properties, packet)
    if properties:
        raise ValueError("MQTT 3.1.1 packets have no properties")
    return b""


def _encode_publish(packet: Publish, v5: bool) -> tuple[int, bytes]:
    qos = packet.qos
    if qos not in (0, 1, 2):
        raise ValueError(f"QoS {qos}")
    first_byte = 0x30 | (packet.dup << 3) | (qos << 1) | packet.retain
    name = packet.topic
    if (not name and not (v5 and "topic_alias" in packet.properties)) or "+" in name or "#" in name:
        raise ValueError(f"{name!r} is not a topic name")
    topic = encode_utf8(name)
    properties = _properties(packet.properties, v5, 3)
    if qos:
        return first_byte, b"".join(
            (topic, _packet_id(packet.packet_id), properties, packet.payload)
        )
    if packet.packet_id is not None:
        raise ValueError("a QoS 0 PUBLISH has no packet id")
    if packet.dup:
        raise ValueError("a QoS 0 PUBLISH cannot be a duplicate")
    return first_byte, b"".join((topic, properties, packet.payload))


def _encode_connect(packet: Connect, v5: bool) -> tuple[int, bytes]:
    if packet.protocol_level != (MQTT_5 if v5 else MQTT_311):
        raise ValueError("a CONNECT's level is the connection's level")
    flags = packet.clean_start << 1
    will_parts: tuple[bytes, ...] = ()
    if packet.will is not None:
        will = packet.will
        if will.qos not in (0, 1, 2):
            raise ValueError(f"will QoS {will.qos}")
        flags |= 0x04 | (will.qos << 3) | (will.retain << 5)
        will_parts = (
            _properties(will.properties, v5, WILL),
            encode_utf8(will.topic),
            encode_binary(will.payload),
        )
    credentials = []
    if packet.username is not None:
        flags |= 0x80
        credentials.append(encode_utf8(packet.username))
    if packet.password is not None:
        if not v5 and packet.username is None:
            raise ValueError("MQTT 3.1.1 has no password without a user name")
        flags |= 0x40
        credentials.append(encode_binary(packet.password))
    return 0x10, b"".join(
        (
            _PROTOCOL_NAME,
            bytes((packet.protocol_level, flags)),
            _u16(packet.keep_alive),
            _properties(packet.properties, v5, 1),
            encode_utf8(packet.client_id),
            *will_parts,
            *credentials,
        )
    )


def _encode_connack(packet: Connack, v5: bool) -> tuple[int, bytes]:
    if not v5 and not 0 <= packet.reason_code <= 5:
        raise ValueError(f"MQTT 3.1.1 has no CONNACK return code {packet.reason_code}")
    if packet.session_present and packet.reason_code:
        raise ValueError("a CONNACK refusing the connection has no session present")
    head = bytes((packet.session_present, packet.reason_code))
    return 0x20, head + _properties(packet.properties, v5, 2)


def _ack_encoder(first_byte: int, packet_type: int) -> Callable[[Any, bool], tuple[int, bytes]]:
    def encode_ack(packet: Puback | Pubrec | Pubrel | Pubcomp, v5: bool) -> tuple[int, bytes]:
        packet_id = _packet_id(packet.packet_id)
        if not v5:
            if packet.reason_code or packet.properties:
                raise ValueError("MQTT 3.1.1 acknowledgements have no reason code or properties")
            return first_byte, packet_id
        if not packet.properties:
            if not packet.reason_code:
                return first_byte, packet_id
            return first_byte, packet_id + bytes((packet.reason_code,))
        properties = encode_properties(packet.properties, packet_type)
        return first_byte, packet_id + bytes((packet.reason_code,)) + properties

    return encode_ack


def _encode_subscribe(packet: Subscribe, v5: bool) -> tuple[int, bytes]:
    if not packet.subscriptions:
        raise ValueError("a SUBSCRIBE has at least one topic filter")
    parts = [_packet_id(packet.packet_id), _properties(packet.properties, v5, 8)]
    for subscription in packet.subscriptions:
        options = subscription.qos
        extras = (
            subscription.no_local << 2
            | subscription.retain_as_published << 3
            | subscription.retain_handling << 4
        )
        if not v5 and extras:
            raise ValueError("MQTT 3.1.1 subscriptions have no options but QoS")
        if subscription.qos not in (0, 1, 2) or subscription.retain_handling not in (0, 1, 2):
            raise ValueError(f"subscription options of {subscription!r}")
        parts.append(encode_utf8(subscription.topic_filter))
        parts.append(bytes((options | extras,)))
    return 0x82, b"".join(parts)


def _encode_suback(packet: Suback, v5: bool) -> tuple[int, bytes]:
    if not v5 and not SUBACK_311_CODES.issuperset(packet.reason_codes):
        raise ValueError(f"MQTT 3.1.1 has no SUBACK return codes {packet.reason_codes}")
    head = _packet_id(packet.packet_id) + _properties(packet.properties, v5, 9)
    return 0x90, head + bytes(packet.reason_codes)


def _encode_unsubscribe(packet: Unsubscribe, v5: bool) -> tuple[int, bytes]:
    if not packet.topic_filters:
        raise ValueError("an UNSUBSCRIBE has at least one topic filter")
    head = _packet_id(packet.packet_id) + _properties(packet.properties, v5, 10)
    return 0xA2, head + b"".join(encode_utf8(each) for each in packet.topic_filters)


def _encode_unsuback(packet: Unsuback, v5: bool) -> tuple[int, bytes]:
    if not v5:
        if packet.reason_codes or packet.properties:
            raise ValueError("an MQTT 3.1.1 UNSUBACK has no reason codes or properties")
        return 0xB0, _packet_id(packet.packet_id)
    head = _packet_id(packet.packet_id) + encode_properties(packet.properties, 11)
    return 0xB0, head + bytes(packet.reason_codes)


def _encode_pingreq(packet: Pingreq, v5: bool) -> tuple[int, bytes]:
    return 0xC0, b""


def _encode_pingresp(packet: Pingresp, v5: bool) -> tuple[int, bytes]:
    return 0xD0, b""


def _encode_disconnect(packet: Disconnect, v5: bool) -> tuple[int, bytes]:
    return 0xE0, _reason_and_properties(packet.reason_code, packet.properties, v5, 14)


def _encode_auth(packet: Auth, v5: bool) -> tuple[int, bytes]:
    if not v5:
        raise ValueError("AUTH is MQTT 5 only")
    return 0xF0, _reason_and_properties(packet.reason_code, packet.properties, v5, 15)


def _reason_and_properties(reason_code: int, properties: Properties, v5: bool, kind: int) -> bytes:
    if not v5:
        if reason_code or properties:
            raise ValueError("an MQTT 3.1.1 DISCONNECT has no reason code or properties")
        return b""
    if not properties:
        return bytes((reason_code,)) if reason_code else b""
    return bytes((reason_code,)) + encode_properties(properties, kind)


def _packet_id(packet_id: int | None) -> bytes:
    if packet_id is None or not 1 <= packet_id <= 0xFFFF:
        raise ValueError(f"packet id {packet_id} is not 1..65535")
    return pack_u16(packet_id)


def _u16(value: int) -> bytes:
    if not 0 <= value <= 0xFFFF:
        raise ValueError(f"{value} does not fit two bytes")
    return pack_u16(value)


_ENCODERS: dict[type, Callable[[Any, bool], tuple[int, bytes]]] = {
    Publish: _encode_publish,
    Connect: _encode_connect,
    Connack: _encode_connack,
    Puback: _ack_encoder(0x40, 4),
    Pubrec: _ack_encoder(0x50, 5),
    Pubrel: _ack_encoder(0x62, 6),
    Pubcomp: _ack_encoder(0x70, 7),
    Subscribe: _encode_subscribe,
    Suback: _encode_suback,
    Unsubscribe: _encode_unsubscribe,
    Unsuback: _encode_unsuback,
    Pingreq: _encode_pingreq,
    Pingresp: _encode_pingresp,
    Disconnect: _encode_disconnect,
    Auth: _encode_auth,
}
