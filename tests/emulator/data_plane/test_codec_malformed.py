"""Bad bytes, of every kind, are a MalformedPacket and nothing else: random bytes, valid streams
mutated or cut short, lengths past the limit, and each rule of the spec that a receiver MUST
enforce. The reader never keeps more than the packet-size limit between calls."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emulator.data_plane.test_codec_round_trip import (
    client_packets,
    connects,
    server_packets,
)
from zaws.emulator.data_plane.codec import (
    MQTT_5,
    MQTT_311,
    PACKET_TOO_LARGE,
    PROTOCOL_ERROR,
    Connect,
    MalformedPacket,
    Packet,
    PacketReader,
    Pingreq,
    Publish,
    Subscribe,
    Subscription,
    UnsupportedProtocolVersion,
    encode,
)

LIMIT = 512

# Generating packets is slow on a loaded 2-core machine; that is no failure of the codec.
LOADED_MACHINE = [HealthCheck.too_slow, HealthCheck.data_too_large]


def feed_checked(reader: PacketReader, chunks: list[bytes]) -> bool:
    """Feeds the chunks; True if one was refused. Any other exception fails the test."""
    for chunk in chunks:
        try:
            packets = reader.feed(chunk)
        except MalformedPacket:
            with pytest.raises(MalformedPacket):  # a spent reader stays spent
                reader.feed(b"")
            return True
        assert all(isinstance(packet, Packet.__args__) for packet in packets)  # type: ignore[attr-defined]
        assert reader.buffered < max(reader.max_packet_size, 5)
    return False


def readers() -> st.SearchStrategy[PacketReader]:
    of_server = st.sampled_from([MQTT_311, MQTT_5]).map(
        lambda level: PacketReader.of_server(LIMIT, level)
    )
    return st.builds(PacketReader, st.just(LIMIT)) | of_server


@settings(max_examples=200, deadline=None, suppress_health_check=LOADED_MACHINE)
@given(readers(), st.lists(st.binary(min_size=1, max_size=300), min_size=1, max_size=6))
def test_random_bytes_are_refused_or_read_partially(
    reader: PacketReader, chunks: list[bytes]
) -> None:
    feed_checked(reader, chunks)


@settings(max_examples=100, deadline=None, suppress_health_check=LOADED_MACHINE)
@given(readers(), st.lists(st.binary(min_size=1, max_size=40), min_size=1, max_size=6))
def test_random_bytes_after_a_good_connect_are_refused_or_read(
    reader: PacketReader, chunks: list[bytes]
) -> None:
    if reader.protocol_level is None:
        reader.feed(encode(Connect(MQTT_5, "device"), MQTT_5))
    feed_checked(reader, chunks)


def _mutate(stream: bytes, how: int, where: int, byte: int) -> bytes:
    at = where % (len(stream) + 1)
    if how == 0:  # one byte changed
        return stream[:at] + bytes((byte,)) + stream[at + 1 :]
    if how == 1:  # one byte inserted
        return stream[:at] + bytes((byte,)) + stream[at:]
    if how == 2:  # one byte removed
        return stream[:at] + stream[at + 1 :]
    return (
        stream[:at] + bytes((stream[at] ^ (1 << (byte % 8)),)) + stream[at + 1 :]
        if at < len(stream)
        else stream
    )  # one bit flipped


mutations = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 10_000), st.integers(0, 255)),
    min_size=8,
    max_size=8,
)


@settings(max_examples=90, deadline=None, suppress_health_check=LOADED_MACHINE)
@given(st.data(), st.sampled_from([MQTT_311, MQTT_5]), mutations, st.integers(1, 50))
def test_valid_streams_mutated_are_refused_or_read(
    data: st.DataObject, level: int, changes: list[tuple[int, int, int]], piece: int
) -> None:
    """Eight mutations of each valid stream: 720 mutated streams in all."""
    from_client = data.draw(st.booleans())
    if from_client:
        packets = [
            data.draw(connects(level)),
            *data.draw(st.lists(client_packets(level), max_size=3)),
        ]
    else:
        packets = data.draw(st.lists(server_packets(level), min_size=1, max_size=3))
    stream = b"".join(encode(packet, level) for packet in packets)
    for how, where, byte in changes:
        mutated = _mutate(stream, how, where, byte)
        reader = PacketReader(LIMIT) if from_client else PacketReader.of_server(LIMIT, level)
        feed_checked(reader, [mutated[i : i + piece] for i in range(0, len(mutated), piece)])


@settings(max_examples=60, deadline=None, suppress_health_check=LOADED_MACHINE)
@given(st.data(), st.sampled_from([MQTT_311, MQTT_5]))
def test_a_valid_stream_cut_short_is_a_clean_partial_read(data: st.DataObject, level: int) -> None:
    packets = [data.draw(connects(level)), *data.draw(st.lists(client_packets(level), max_size=3))]
    encoded = [encode(packet, level) for packet in packets]
    stream = b"".join(encoded)
    cut = data.draw(st.integers(0, len(stream)))
    reader = PacketReader(LIMIT)

    read = reader.feed(stream[:cut])

    complete = 0
    while complete < len(encoded) and sum(map(len, encoded[: complete + 1])) <= cut:
        complete += 1
    assert read == packets[:complete]
    assert reader.buffered == cut - sum(map(len, encoded[:complete]))


@settings(max_examples=100, deadline=None, suppress_health_check=LOADED_MACHINE)
@given(st.integers(LIMIT - 1, 268_435_455), st.integers(0, 255))
def test_a_length_past_the_limit_is_refused_before_its_body_arrives(
    remaining_length: int, first_byte: int
) -> None:
    header = bytearray((first_byte,))
    value = remaining_length
    while True:
        header.append((value & 0x7F) | (0x80 if value > 0x7F else 0))
        value >>= 7
        if not value:
            break
    reader = PacketReader(LIMIT)
    with pytest.raises(MalformedPacket) as refused:
        reader.feed(bytes(header))
    assert refused.value.reason_code == PACKET_TOO_LARGE or len(header) + remaining_length <= LIMIT
    assert reader.buffered == 0


def test_a_stream_of_one_byte_pieces_never_keeps_more_than_the_limit() -> None:
    reader = PacketReader(64)
    reader.feed(encode(Connect(MQTT_311, "d"), MQTT_311))
    big = encode(Publish("t", b"x" * 100), MQTT_311)
    refused = False
    for index in range(len(big)):
        try:
            reader.feed(big[index : index + 1])
        except MalformedPacket as error:
            assert error.reason_code == PACKET_TOO_LARGE
            refused = True
            break
        assert reader.buffered < 64
    assert refused and index == 1  # refused at its length byte, not after 100 bytes


V311_CONNECT = encode(Connect(MQTT_311, "d"), MQTT_311)
V5_CONNECT = encode(Connect(MQTT_5, "d"), MQTT_5)


@pytest.mark.parametrize(
    ("after", "packet", "reason_code"),
    [
        (b"", encode(Pingreq(), MQTT_311), PROTOCOL_ERROR),  # the first packet is not CONNECT
        (V311_CONNECT, V311_CONNECT, PROTOCOL_ERROR),  # a second CONNECT
        (V311_CONNECT, b"\x36\x05\x00\x01t\x00\x01", 0x81),  # PUBLISH with QoS 3
        (V311_CONNECT, b"\x32\x05\x00\x01t\x00\x00", 0x81),  # PUBLISH with packet id 0
        (V311_CONNECT, b"\x38\x03\x00\x01t", 0x81),  # QoS 0 PUBLISH with DUP
        (V311_CONNECT, b"\x30\x05\x00\x03a/+", 0x90),  # PUBLISH topic with a wildcard
        (V311_CONNECT, b"\x30\x03\x00\x01#", 0x90),
        (V311_CONNECT, b"\x30\x02\x00\x00", 0x90),  # empty PUBLISH topic
        (V311_CONNECT, b"\x30\x04\x00\x02\xed\xa0", 0x81),  # invalid UTF-8
        (V311_CONNECT, b"\x30\x05\x00\x03\xed\xa0\x80", 0x81),  # a UTF-16 surrogate
        (V311_CONNECT, b"\x30\x04\x00\x02\xc0\x80", 0x81),  # overlong U+0000
        (V311_CONNECT, b"\x30\x04\x00\x02a\x00", 0x81),  # U+0000
        (V311_CONNECT, b"\x30\x05\x00\x09abc", 0x81),  # string past the end
        (V311_CONNECT, b"\x82\x02\x00\x01", PROTOCOL_ERROR),  # SUBSCRIBE without a filter
        (V311_CONNECT, b"\x80\x06\x00\x01\x00\x01a\x00", 0x81),  # SUBSCRIBE with flags 0
        (V311_CONNECT, b"\x82\x06\x00\x01\x00\x01a\x03", 0x81),  # SUBSCRIBE QoS 3
        (V311_CONNECT, b"\x82\x06\x00\x01\x00\x01a\x04", 0x81),  # 3.1.1: option bits reserved
        (V311_CONNECT, b"\x82\x08\x00\x01\x00\x03a#b\x00", 0x8F),  # bad filter
        (V311_CONNECT, b"\xa2\x02\x00\x01", PROTOCOL_ERROR),  # UNSUBSCRIBE without a filter
        (V311_CONNECT, b"\xc1\x00", 0x81),  # PINGREQ with flags
        (V311_CONNECT, b"\xc0\x01\x00", 0x81),  # PINGREQ with a body
        (V311_CONNECT, b"\xf0\x00", 0x81),  # AUTH on 3.1.1 (type 15 is reserved there)
        (V311_CONNECT, b"\x00\x00", 0x81),  # packet type 0
        (V311_CONNECT, b"\x20\x02\x00\x00", PROTOCOL_ERROR),  # CONNACK from a client
        (V311_CONNECT, b"\x40\x03\x00\x01\x00", 0x81),  # 3.1.1 PUBACK with a reason code
        (V311_CONNECT, b"\x30\x80\x80\x80\x80\x01", 0x81),  # remaining length of 5 bytes
        (V311_CONNECT, b"\xc0\x80\x00", 0x81),  # remaining length not in its shortest form
        (V5_CONNECT, b"\x40\x03\x00\x01\x05", 0x81),  # PUBACK reason code it cannot carry
        (V5_CONNECT, b"\x30\x07\x00\x01t\x03\x23\x00\x00", PROTOCOL_ERROR),  # topic alias 0
        (V5_CONNECT, b"\x30\x06\x00\x01t\x02\x12\x00", 0x81),  # CONNACK-only property
        (V5_CONNECT, b"\x30\x06\x00\x01t\x02\x0b\x01", PROTOCOL_ERROR),  # client sub id
        (V5_CONNECT, b"\x30\x08\x00\x01t\x04\x01\x00\x01\x00", PROTOCOL_ERROR),  # twice
        (V5_CONNECT, b"\x30\x05\x00\x01t\x05\x01", 0x81),  # properties past the end
        (V5_CONNECT, b"\x82\x06\x00\x01\x00\x00\x01a", 0x81),  # SUBSCRIBE without options
        (V5_CONNECT, b"\x82\x07\x00\x01\x00\x00\x01a\x30", 0x81),  # retain handling 3
        (V5_CONNECT, b"\x82\x07\x00\x01\x00\x00\x01a\x40", 0x81),  # reserved option bit
        (V5_CONNECT, b"\xe0\x01\x05", 0x81),  # DISCONNECT reason code it cannot carry
    ],
)
def test_each_rule_a_receiver_must_enforce(after: bytes, packet: bytes, reason_code: int) -> None:
    reader = PacketReader(LIMIT)
    reader.feed(after)
    with pytest.raises(MalformedPacket) as refused:
        reader.feed(packet)
    assert refused.value.reason_code == reason_code


CONNECT_BODY_311 = b"\x00\x04MQTT\x04\x02\x00\x3c\x00\x01d"


@pytest.mark.parametrize(
    ("connect", "reason"),
    [
        (b"\x10\x0d" + CONNECT_BODY_311[:7] + b"\x03" + CONNECT_BODY_311[8:], "reserved flag"),
        (b"\x10\x0d" + CONNECT_BODY_311[:7] + b"\x12" + CONNECT_BODY_311[8:], "will QoS"),
        (b"\x10\x0d" + CONNECT_BODY_311[:7] + b"\x22" + CONNECT_BODY_311[8:], "will retain"),
        (b"\x10\x0d" + CONNECT_BODY_311[:7] + b"\x42" + CONNECT_BODY_311[8:], "password"),
        (b"\x11\x0d" + CONNECT_BODY_311, "fixed header flags"),
        (b"\x10\x0e" + CONNECT_BODY_311 + b"\x00", "trailing byte"),
    ],
)
def test_connect_rules(connect: bytes, reason: str) -> None:
    assert PacketReader(LIMIT).feed(b"\x10\x0d" + CONNECT_BODY_311)  # the unmodified one is fine
    with pytest.raises(MalformedPacket) as refused:
        PacketReader(LIMIT).feed(connect)
    assert not isinstance(refused.value, UnsupportedProtocolVersion), reason


@pytest.mark.parametrize(
    ("name", "level"), [(b"MQIsdp", 3), (b"MQTT", 3), (b"MQTT", 6), (b"MQTX", 4)]
)
def test_an_unsupported_protocol_is_told_apart(name: bytes, level: int) -> None:
    body = len(name).to_bytes(2, "big") + name + bytes((level,)) + b"\x02\x00\x3c\x00\x01d"
    with pytest.raises(UnsupportedProtocolVersion) as refused:
        PacketReader(LIMIT).feed(bytes((0x10, len(body))) + body)
    assert refused.value.protocol_level == level
    assert refused.value.reason_code == 0x84


def test_good_packets_before_a_bad_one_are_kept_on_the_error() -> None:
    reader = PacketReader(LIMIT)
    good = [Connect(MQTT_5, "d"), Subscribe(1, (Subscription("a/#", 1),))]
    with pytest.raises(MalformedPacket) as refused:
        reader.feed(b"".join(encode(packet, MQTT_5) for packet in good) + b"\x36\x00")
    assert refused.value.packets_before == tuple(good)
