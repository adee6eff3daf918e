"""From one packet's fixed-header byte and body to a packet value, for MQTT 3.1.1 and 5 (spec 3.x).

Everything a receiver MUST refuse is a MalformedPacket here: reserved flag bits, QoS 3, packet id 0,
a PUBLISH topic with wildcards, an empty SUBSCRIBE or UNSUBSCRIBE, invalid topic filters, reason
codes a packet cannot carry, bytes left over after the last field. `PacketReader` (codec.py) frames
the stream and calls `decode_packet`; CONNECT has its own function, since it sets the level.
"""

from __future__ import annotations

from collections.abc import Callable

from zaws.emulator.data_plane.codec_errors import (
    PROTOCOL_ERROR,
    TOPIC_FILTER_INVALID,
    TOPIC_NAME_INVALID,
    MalformedPacket,
    UnsupportedProtocolVersion,
)
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
    Subscription,
    Unsuback,
    Unsubscribe,
    Will,
)
from zaws.emulator.data_plane.codec_properties import (
    NO_PROPERTIES,
    WILL,
    decode_properties,
)
from zaws.emulator.data_plane.codec_topics import is_valid_topic_filter
from zaws.emulator.data_plane.codec_wire import read_binary, read_u16, read_utf8, unpack_u16

CONNECT = 1
# The packet types each side may send (spec 2.1.2); anything else from that side is an error.
FROM_CLIENT = frozenset({1, 3, 4, 5, 6, 7, 8, 10, 12, 14, 15})
FROM_SERVER = frozenset({2, 3, 4, 5, 6, 7, 9, 11, 13, 14, 15})
# The fixed-header flags each type must have (PUBLISH's are its own: dup, qos, retain).
REQUIRED_FLAGS = {6: 0b0010, 8: 0b0010, 10: 0b0010}

# The MQTT 5 reason codes each packet may carry (spec 3.x.2.1).
_ACK_CODES = frozenset({0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99})
_REL_CODES = frozenset({0x00, 0x92})
_CONNACK_CODES = frozenset(
    {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95}
    | {0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F}
)
_SUBACK_CODES = frozenset({0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2})
_UNSUBACK_CODES = frozenset({0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91})
_DISCONNECT_CODES = frozenset(
    {0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94}
    | {0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2}
)
_AUTH_CODES = frozenset({0x00, 0x18, 0x19})
SUBACK_311_CODES = frozenset({0x00, 0x01, 0x02, 0x80})


def decode_connect(flags: int, body: bytes) -> Connect:
    end = len(body)
    if flags:
        raise MalformedPacket("CONNECT with reserved flags set")
    name, pos = read_utf8(body, 0, end)
    if pos >= end:
        raise MalformedPacket("CONNECT without a protocol level")
    level = body[pos]
    if name != "MQTT" or level not in (MQTT_311, MQTT_5):
        raise UnsupportedProtocolVersion(name, level)
    if pos + 4 > end:
        raise MalformedPacket("CONNECT without its flags and keep alive")
    connect_flags = body[pos + 1]
    keep_alive = unpack_u16(body, pos + 2)[0]
    pos += 4
    if connect_flags & 0x01:
        raise MalformedPacket("CONNECT with the reserved flag set")
    has_will = connect_flags & 0x04
    will_qos = (connect_flags >> 3) & 0x03
    will_retain = bool(connect_flags & 0x20)
    has_password = connect_flags & 0x40
    has_username = connect_flags & 0x80
    if not has_will and (will_qos or will_retain):
        raise MalformedPacket("CONNECT with will QoS or retain but no will")
    if will_qos == 3:
        raise MalformedPacket("CONNECT with will QoS 3")
    if level == MQTT_311 and has_password and not has_username:
        raise MalformedPacket("CONNECT with a password but no user name")
    properties = NO_PROPERTIES
    if level == MQTT_5:
        properties, pos = decode_properties(body, pos, end, CONNECT)
    client_id, pos = read_utf8(body, pos, end)
    will = None
    if has_will:
        will_properties = NO_PROPERTIES
        if level == MQTT_5:
            will_properties, pos = decode_properties(body, pos, end, WILL)
        will_topic, pos = read_utf8(body, pos, end)
        _check_topic_name(will_topic)
        will_payload, pos = read_binary(body, pos, end)
        will = Will(will_topic, will_payload, will_qos, will_retain, will_properties)
    username = password = None
    if has_username:
        username, pos = read_utf8(body, pos, end)
    if has_password:
        password, pos = read_binary(body, pos, end)
    _check_end(pos, end, "CONNECT")
    clean_start = bool(connect_flags & 0x02)
    return Connect(level, client_id, clean_start, keep_alive, username, password, will, properties)


def decode_packet(
    packet_type: int, flags: int, body: bytes, level: int, from_client: bool
) -> Packet:
    """A packet other than CONNECT, on a connection of `level`."""
    if packet_type not in (FROM_CLIENT if from_client else FROM_SERVER):
        raise MalformedPacket(f"packet type {packet_type} from this side", PROTOCOL_ERROR)
    if packet_type == CONNECT:
        raise MalformedPacket("a second CONNECT", PROTOCOL_ERROR)
    if packet_type == 3:
        return decode_publish(flags, body, level, from_client)
    if flags != REQUIRED_FLAGS.get(packet_type, 0):
        raise MalformedPacket(f"packet type {packet_type} with flags {flags:#06b}")
    return _DECODERS[packet_type](body, level)


def decode_publish(flags: int, body: bytes, level: int, from_client: bool) -> Publish:
    qos = (flags >> 1) & 0x03
    if qos == 3:
        raise MalformedPacket("PUBLISH with QoS 3")
    dup = bool(flags & 0x08)
    if dup and not qos:
        raise MalformedPacket("PUBLISH with QoS 0 and the DUP flag")
    end = len(body)
    topic, pos = read_utf8(body, 0, end)
    packet_id = None
    if qos:
        packet_id, pos = _read_packet_id(body, pos, end)
    properties = NO_PROPERTIES
    if level == MQTT_5:
        properties, pos = decode_properties(body, pos, end, 3)
        if from_client and "subscription_identifier" in properties:
            raise MalformedPacket("PUBLISH from a client with a subscription id", PROTOCOL_ERROR)
    if topic or "topic_alias" not in properties:  # on MQTT 5 an alias may name the topic
        _check_topic_name(topic)
    return Publish(topic, body[pos:], qos, bool(flags & 0x01), dup, packet_id, properties)


def _decode_ack(
    factory: type[Puback | Pubrec | Pubrel | Pubcomp], codes: frozenset[int], packet: int
) -> Callable[[bytes, int], Packet]:
    def decode(body: bytes, level: int) -> Packet:
        end = len(body)
        packet_id, pos = _read_packet_id(body, 0, end)
        if level == MQTT_311 or end == 2:
            _check_end(pos, end, factory.__name__.upper())
            return factory(packet_id)
        reason_code = _reason_code(body[pos], codes)
        properties = NO_PROPERTIES
        if end > 3:
            properties, pos = decode_properties(body, 3, end, packet)
            _check_end(pos, end, factory.__name__.upper())
        return factory(packet_id, reason_code, properties)

    return decode


def _decode_connack(body: bytes, level: int) -> Connack:
    end = len(body)
    if end < 2:
        raise MalformedPacket("CONNACK shorter than 2 bytes")
    acknowledge_flags, reason_code = body[0], body[1]
    if acknowledge_flags & 0xFE:
        raise MalformedPacket("CONNACK with reserved flags set")
    session_present = bool(acknowledge_flags)
    if session_present and reason_code:
        raise MalformedPacket("CONNACK refusing a connection with a session present")
    properties = NO_PROPERTIES
    pos = 2
    if level == MQTT_311:
        if reason_code > 5:
            raise MalformedPacket(f"CONNACK return code {reason_code}")
    else:
        _reason_code(reason_code, _CONNACK_CODES)
        properties, pos = decode_properties(body, 2, end, 2)
    _check_end(pos, end, "CONNACK")
    return Connack(session_present, reason_code, properties)


def _decode_subscribe(body: bytes, level: int) -> Subscribe:
    end = len(body)
    packet_id, pos = _read_packet_id(body, 0, end)
    properties = NO_PROPERTIES
    if level == MQTT_5:
        properties, pos = decode_properties(body, pos, end, 8)
        if len(properties.get("subscription_identifier", ())) > 1:  # type: ignore[arg-type]
            raise MalformedPacket("SUBSCRIBE with two subscription ids", PROTOCOL_ERROR)
    subscriptions = []
    reserved = 0xC0 if level == MQTT_5 else 0xFC
    while pos < end:
        topic_filter, pos = read_utf8(body, pos, end)
        if pos >= end:
            raise MalformedPacket("SUBSCRIBE filter without its options")
        options = body[pos]
        pos += 1
        if options & reserved:
            raise MalformedPacket("SUBSCRIBE options with reserved bits set")
        qos = options & 0x03
        retain_handling = (options >> 4) & 0x03
        if qos == 3 or retain_handling == 3:
            raise MalformedPacket("SUBSCRIBE with QoS 3 or retain handling 3")
        if not is_valid_topic_filter(topic_filter):
            raise MalformedPacket(f"invalid topic filter {topic_filter!r}", TOPIC_FILTER_INVALID)
        subscriptions.append(
            Subscription(
                topic_filter, qos, bool(options & 0x04), bool(options & 0x08), retain_handling
            )
        )
    if not subscriptions:
        raise MalformedPacket("SUBSCRIBE without a topic filter", PROTOCOL_ERROR)
    return Subscribe(packet_id, tuple(subscriptions), properties)


def _decode_suback(body: bytes, level: int) -> Suback:
    end = len(body)
    packet_id, pos = _read_packet_id(body, 0, end)
    properties = NO_PROPERTIES
    codes = SUBACK_311_CODES
    if level == MQTT_5:
        codes = _SUBACK_CODES
        properties, pos = decode_properties(body, pos, end, 9)
    reason_codes = tuple(body[pos:])
    if not reason_codes:
        raise MalformedPacket("SUBACK without a return code")
    if not codes.issuperset(reason_codes):
        raise MalformedPacket(f"SUBACK return codes {reason_codes}")
    return Suback(packet_id, reason_codes, properties)


def _decode_unsubscribe(body: bytes, level: int) -> Unsubscribe:
    end = len(body)
    packet_id, pos = _read_packet_id(body, 0, end)
    properties = NO_PROPERTIES
    if level == MQTT_5:
        properties, pos = decode_properties(body, pos, end, 10)
    topic_filters = []
    while pos < end:
        topic_filter, pos = read_utf8(body, pos, end)
        if not is_valid_topic_filter(topic_filter):
            raise MalformedPacket(f"invalid topic filter {topic_filter!r}", TOPIC_FILTER_INVALID)
        topic_filters.append(topic_filter)
    if not topic_filters:
        raise MalformedPacket("UNSUBSCRIBE without a topic filter", PROTOCOL_ERROR)
    return Unsubscribe(packet_id, tuple(topic_filters), properties)


def _decode_unsuback(body: bytes, level: int) -> Unsuback:
    end = len(body)
    packet_id, pos = _read_packet_id(body, 0, end)
    if level == MQTT_311:
        _check_end(pos, end, "UNSUBACK")
        return Unsuback(packet_id)
    properties, pos = decode_properties(body, pos, end, 11)
    reason_codes = tuple(body[pos:])
    if not reason_codes or not _UNSUBACK_CODES.issuperset(reason_codes):
        raise MalformedPacket(f"UNSUBACK reason codes {reason_codes}")
    return Unsuback(packet_id, reason_codes, properties)


def _decode_pingreq(body: bytes, level: int) -> Pingreq:
    _check_end(0, len(body), "PINGREQ")
    return Pingreq()


def _decode_pingresp(body: bytes, level: int) -> Pingresp:
    _check_end(0, len(body), "PINGRESP")
    return Pingresp()


def _decode_disconnect(body: bytes, level: int) -> Disconnect:
    end = len(body)
    if level == MQTT_311 or end == 0:
        _check_end(0, end, "DISCONNECT")
        return Disconnect()
    reason_code = _reason_code(body[0], _DISCONNECT_CODES)
    properties, pos = NO_PROPERTIES, 1
    if end > 1:
        properties, pos = decode_properties(body, 1, end, 14)
    _check_end(pos, end, "DISCONNECT")
    return Disconnect(reason_code, properties)


def _decode_auth(body: bytes, level: int) -> Auth:
    if level == MQTT_311:
        raise MalformedPacket("AUTH on MQTT 3.1.1 (packet type 15 is reserved)")
    end = len(body)
    if end == 0:
        return Auth()
    reason_code = _reason_code(body[0], _AUTH_CODES)
    properties, pos = NO_PROPERTIES, 1
    if end > 1:
        properties, pos = decode_properties(body, 1, end, 15)
    _check_end(pos, end, "AUTH")
    return Auth(reason_code, properties)


_DECODERS: dict[int, Callable[[bytes, int], Packet]] = {
    2: _decode_connack,
    4: _decode_ack(Puback, _ACK_CODES, 4),
    5: _decode_ack(Pubrec, _ACK_CODES, 5),
    6: _decode_ack(Pubrel, _REL_CODES, 6),
    7: _decode_ack(Pubcomp, _REL_CODES, 7),
    8: _decode_subscribe,
    9: _decode_suback,
    10: _decode_unsubscribe,
    11: _decode_unsuback,
    12: _decode_pingreq,
    13: _decode_pingresp,
    14: _decode_disconnect,
    15: _decode_auth,
}


def _read_packet_id(body: bytes, pos: int, end: int) -> tuple[int, int]:
    packet_id, pos = read_u16(body, pos, end)
    if packet_id == 0:
        raise MalformedPacket("packet identifier 0")
    return packet_id, pos


def _reason_code(code: int, allowed: frozenset[int]) -> int:
    if code not in allowed:
        raise MalformedPacket(f"reason code 0x{code:02x} not allowed in this packet")
    return code


def _check_topic_name(topic: str) -> None:
    if not topic or "+" in topic or "#" in topic:
        raise MalformedPacket(f"invalid topic name {topic!r}", TOPIC_NAME_INVALID)


def _check_end(pos: int, end: int, packet: str) -> None:
    if pos != end:
        raise MalformedPacket(f"{packet} with {end - pos} bytes too many")
