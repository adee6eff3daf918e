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

Import from here; the parts are helpers: `codec_packets` (the dataclasses), `codec_properties`,
`codec_wire` (MQTT's data types), `codec_decode`, `codec_encode`, `codec_errors`, `codec_topics`.
This module frames the byte stream into packets (`PacketReader`).
"""

from __future__ import annotations

from zaws.emulator.data_plane.codec_decode import decode_connect, decode_packet
from zaws.emulator.data_plane.codec_encode import encode
from zaws.emulator.data_plane.codec_errors import (
    MALFORMED_PACKET,
    PACKET_TOO_LARGE,
    PROTOCOL_ERROR,
    TOPIC_FILTER_INVALID,
    TOPIC_NAME_INVALID,
    UNSUPPORTED_PROTOCOL_VERSION,
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
from zaws.emulator.data_plane.codec_properties import NO_PROPERTIES, Properties, PropertyValue
from zaws.emulator.data_plane.codec_topics import is_valid_topic_filter, is_valid_topic_name

__all__ = [
    "MALFORMED_PACKET",
    "MQTT_5",
    "MQTT_311",
    "NO_PROPERTIES",
    "PACKET_TOO_LARGE",
    "PROTOCOL_ERROR",
    "TOPIC_FILTER_INVALID",
    "TOPIC_NAME_INVALID",
    "UNSUPPORTED_PROTOCOL_VERSION",
    "Auth",
    "Connack",
    "Connect",
    "Disconnect",
    "MalformedPacket",
    "Packet",
    "PacketReader",
    "Pingreq",
    "Pingresp",
    "Properties",
    "PropertyValue",
    "Puback",
    "Pubcomp",
    "Publish",
    "Pubrec",
    "Pubrel",
    "Suback",
    "Subscribe",
    "Subscription",
    "Unsuback",
    "Unsubscribe",
    "UnsupportedProtocolVersion",
    "Will",
    "encode",
    "is_valid_topic_filter",
    "is_valid_topic_name",
]


class PacketReader:
    """Whole packets out of a byte stream, fed in pieces of any size.

    `PacketReader(max_packet_size)` reads what a client sends a server: the first packet must be a
    CONNECT, whose level then sets `protocol_level`. `PacketReader.of_server(max_packet_size,
    level)` reads what a server sends a client of that level. A packet longer than
    `max_packet_size` (fixed header included) is refused as soon as its length is read, so at most
    that many bytes are ever kept between calls. After a MalformedPacket the reader is spent: every
    later `feed` raises again.
    """

    __slots__ = (
        "_buffer",
        "_error",
        "_from_client",
        "_needed",
        "max_packet_size",
        "protocol_level",
    )

    def __init__(self, max_packet_size: int) -> None:
        self.max_packet_size = max_packet_size
        self.protocol_level: int | None = None
        self._from_client = True
        self._buffer = bytearray()
        self._needed = 0  # the size of the incomplete packet in the buffer, when its header is in
        self._error: MalformedPacket | None = None

    @classmethod
    def of_server(cls, max_packet_size: int, protocol_level: int) -> PacketReader:
        reader = cls(max_packet_size)
        reader.protocol_level = protocol_level
        reader._from_client = False
        return reader

    @property
    def buffered(self) -> int:
        """How many bytes of an incomplete packet are kept."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[Packet]:
        """The packets completed by `data`, in order (none while a packet is still incomplete)."""
        failed = self._error
        if failed is not None:
            raise MalformedPacket(f"after a malformed packet: {failed}", failed.reason_code)
        buffer = self._buffer
        if buffer:
            buffer += data
            if len(buffer) < self._needed:  # the rest of a packet whose length is known
                return []
            stream = bytes(buffer)
            buffer.clear()
        else:
            stream = data if type(data) is bytes else bytes(data)
        packets: list[Packet] = []
        pos = 0
        size = len(stream)
        needed = 0
        try:
            while size - pos >= 2:
                length = stream[pos + 1]
                header = 2
                if length >= 0x80:
                    length, header = self._long_length(stream, pos, size)
                    if not header:
                        break
                total = header + length
                if total > self.max_packet_size:
                    raise MalformedPacket(
                        f"a packet of {total} bytes is longer than {self.max_packet_size}",
                        PACKET_TOO_LARGE,
                    )
                if size - pos < total:
                    needed = total
                    break
                first_byte = stream[pos]
                body = stream[pos + header : pos + total]
                pos += total
                packets.append(self._decode(first_byte, body))
        except MalformedPacket as error:
            error.packets_before = tuple(packets)
            self._error = error
            raise
        if pos < size:
            buffer += memoryview(stream)[pos:]
        self._needed = needed
        return packets

    @staticmethod
    def _long_length(buffer: bytes, pos: int, size: int) -> tuple[int, int]:
        """The remaining length and the fixed header's size, or (0, 0) if not all here yet."""
        length = 0
        for index in range(1, 5):
            if pos + index >= size:
                return 0, 0
            byte = buffer[pos + index]
            length |= (byte & 0x7F) << (7 * (index - 1))
            if byte < 0x80:
                if byte == 0:
                    raise MalformedPacket("remaining length not in its shortest form")
                return length, index + 1
        raise MalformedPacket("remaining length longer than 4 bytes")

    def _decode(self, first_byte: int, body: bytes) -> Packet:
        packet_type = first_byte >> 4
        flags = first_byte & 0x0F
        level = self.protocol_level
        if level is None:
            if packet_type != 1:
                raise MalformedPacket("the first packet is not a CONNECT", PROTOCOL_ERROR)
            connect = decode_connect(flags, body)
            self.protocol_level = connect.protocol_level
            return connect
        if packet_type == 0:
            raise MalformedPacket("packet type 0 is reserved")
        return decode_packet(packet_type, flags, body, level, self._from_client)
