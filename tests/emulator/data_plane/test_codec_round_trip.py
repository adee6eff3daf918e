"""Every packet type, at both protocol levels, encoded and read back through any split of the
byte stream, is the packet it was. The strategies here also feed the fuzz and paho tests."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zaws.emulator.data_plane import codec_properties
from zaws.emulator.data_plane.codec import (
    MQTT_5,
    MQTT_311,
    Auth,
    Connack,
    Connect,
    Disconnect,
    Packet,
    PacketReader,
    Pingreq,
    Pingresp,
    Properties,
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
    encode,
)

strings = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
topic_names = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00+#"), min_size=1, max_size=20
)
_levels = st.one_of(st.just("+"), st.text(st.sampled_from("ab$/é "), max_size=4))
topic_filters = st.builds(
    lambda levels, tail: "/".join(levels) + tail,
    st.lists(_levels, min_size=1, max_size=4),
    st.sampled_from(["", "/#"]),
).filter(bool) | st.just("#")
packet_ids = st.integers(1, 0xFFFF)
payloads = st.binary(max_size=64)

_VALUES: dict[int, Any] = {
    codec_properties.BYTE: lambda kind: st.integers(kind.minimum, kind.maximum or 0xFF),
    codec_properties.TWO_BYTES: lambda kind: st.integers(kind.minimum, 0xFFFF),
    codec_properties.FOUR_BYTES: lambda kind: st.integers(kind.minimum, 0xFFFF_FFFF),
    codec_properties.VARINT: lambda kind: st.integers(kind.minimum, 268_435_455),
    codec_properties.BINARY: lambda kind: st.binary(max_size=8),
    codec_properties.UTF8: lambda kind: strings,
    codec_properties.UTF8_PAIR: lambda kind: st.lists(st.tuples(strings, strings), max_size=3),
}

# Generating packets is slow on a loaded 2-core machine; that is no failure of the codec.
LOADED_MACHINE = [HealthCheck.too_slow, HealthCheck.data_too_large]


def properties_for(packet: int, exclude: frozenset[str] = frozenset()) -> st.SearchStrategy[Any]:
    """Properties that `packet` (a packet type number, or WILL) may carry."""
    optional = {}
    for kind in codec_properties.KINDS:
        if packet in kind.packets and kind.name not in exclude:
            values = _VALUES[kind.data_type](kind)
            if kind.name == "subscription_identifier":
                values = st.lists(values, min_size=1, max_size=1 if packet == 8 else 3)
            optional[kind.name] = values
    return st.fixed_dictionaries({}, optional=optional).map(Properties)  # type: ignore[arg-type]


def _props(level: int, packet: int, exclude: frozenset[str] = frozenset()) -> Any:
    return properties_for(packet, exclude) if level == MQTT_5 else st.just(Properties())


def connects(level: int) -> st.SearchStrategy[Connect]:
    wills = st.none() | st.builds(
        Will, topic_names, payloads, st.integers(0, 2), st.booleans(), _props(level, 16)
    )
    usernames = st.none() | strings
    return st.builds(
        Connect,
        st.just(level),
        strings,
        st.booleans(),
        st.integers(0, 0xFFFF),
        usernames,
        st.none() | st.binary(max_size=8),
        wills,
        _props(level, 1),
    ).filter(lambda c: level == MQTT_5 or c.password is None or c.username is not None)


def publishes(level: int, from_client: bool) -> st.SearchStrategy[Publish]:
    excluded = frozenset({"subscription_identifier"} if from_client else ())

    def build(qos: int, dup: bool, packet_id: int, **fields: Any) -> Publish:
        return Publish(qos=qos, dup=dup and qos > 0, packet_id=packet_id if qos else None, **fields)

    return st.builds(
        build,
        st.integers(0, 2),
        st.booleans(),
        packet_ids,
        topic=topic_names,
        payload=payloads,
        retain=st.booleans(),
        properties=_props(level, 3, excluded),
    )


def acks(level: int) -> st.SearchStrategy[Packet]:
    def one(factory: Any, codes: list[int], packet: int) -> st.SearchStrategy[Packet]:
        if level == MQTT_311:
            return st.builds(factory, packet_ids)
        return st.builds(factory, packet_ids, st.sampled_from(codes), _props(level, packet))

    publish_codes = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]
    return st.one_of(
        one(Puback, publish_codes, 4),
        one(Pubrec, publish_codes, 5),
        one(Pubrel, [0x00, 0x92], 6),
        one(Pubcomp, [0x00, 0x92], 7),
    )


def subscribes(level: int) -> st.SearchStrategy[Subscribe]:
    if level == MQTT_5:
        subscription = st.builds(
            Subscription,
            topic_filters,
            st.integers(0, 2),
            st.booleans(),
            st.booleans(),
            st.integers(0, 2),
        )
    else:
        subscription = st.builds(Subscription, topic_filters, st.integers(0, 2))
    subscriptions = st.lists(subscription, min_size=1, max_size=4).map(tuple)
    return st.builds(Subscribe, packet_ids, subscriptions, _props(level, 8))


def disconnects(level: int) -> st.SearchStrategy[Disconnect]:
    if level == MQTT_311:
        return st.just(Disconnect())
    return st.builds(Disconnect, st.sampled_from([0x00, 0x04, 0x80, 0x8E, 0x9C]), _props(5, 14))


def _unsubscribes(level: int) -> st.SearchStrategy[Packet]:
    filters = st.lists(topic_filters, min_size=1, max_size=3).map(tuple)
    return st.builds(Unsubscribe, packet_ids, filters, _props(level, 10))


def _auths(level: int) -> st.SearchStrategy[Packet]:
    return st.builds(Auth, st.sampled_from([0x00, 0x18, 0x19]), _props(5, 15))


def _connacks(level: int) -> st.SearchStrategy[Packet]:
    if level == MQTT_311:
        refused = st.builds(Connack, st.just(False), st.integers(1, 5))
        return st.builds(Connack, st.booleans(), st.just(0)) | refused
    refused = st.builds(
        Connack, st.just(False), st.sampled_from([0x80, 0x84, 0x87, 0x97]), _props(5, 2)
    )
    return st.builds(Connack, st.booleans(), st.just(0), _props(5, 2)) | refused


def _subacks(level: int) -> st.SearchStrategy[Packet]:
    codes = [0, 1, 2, 0x80] if level == MQTT_311 else [0, 1, 2, 0x80, 0x87, 0xA2]
    reason_codes = st.lists(st.sampled_from(codes), min_size=1, max_size=4).map(tuple)
    return st.builds(Suback, packet_ids, reason_codes, _props(level, 9))


def _unsubacks(level: int) -> st.SearchStrategy[Packet]:
    if level == MQTT_311:
        return st.builds(Unsuback, packet_ids)
    codes = st.lists(st.sampled_from([0, 0x11, 0x87]), min_size=1, max_size=4).map(tuple)
    return st.builds(Unsuback, packet_ids, codes, _props(5, 11))


# What each side sends after the CONNECT, one strategy per packet type (or family).
CLIENT_PACKETS: dict[str, Any] = {
    "publish": lambda level: publishes(level, from_client=True),
    "acks": acks,
    "subscribe": subscribes,
    "unsubscribe": _unsubscribes,
    "pingreq": lambda level: st.just(Pingreq()),
    "disconnect": disconnects,
    "auth": _auths,
}
SERVER_PACKETS: dict[str, Any] = {
    "connack": _connacks,
    "publish": lambda level: publishes(level, from_client=False),
    "acks": acks,
    "suback": _subacks,
    "unsuback": _unsubacks,
    "pingresp": lambda level: st.just(Pingresp()),
    "disconnect": disconnects,
    "auth": _auths,
}
ONLY_MQTT_5 = {"auth"}


def client_packets(level: int) -> st.SearchStrategy[Packet]:
    """Anything a client of `level` sends after its CONNECT."""
    return st.one_of([make(level) for name, make in CLIENT_PACKETS.items() if _at(level, name)])


def server_packets(level: int) -> st.SearchStrategy[Packet]:
    """Anything a server sends a client of `level`."""
    return st.one_of([make(level) for name, make in SERVER_PACKETS.items() if _at(level, name)])


def _at(level: int, name: str) -> bool:
    return level == MQTT_5 or name not in ONLY_MQTT_5


def _cases(table: dict[str, Any]) -> list[tuple[int, str]]:
    return [(level, name) for level in (MQTT_311, MQTT_5) for name in table if _at(level, name)]


def feed_in_pieces(reader: PacketReader, data: bytes, cuts: list[int]) -> list[Packet]:
    packets: list[Packet] = []
    start = 0
    for cut in [*sorted({cut % (len(data) + 1) for cut in cuts}), len(data)]:
        packets += reader.feed(data[start:cut])
        start = cut
    return packets


cuts = st.lists(st.integers(0, 10_000), max_size=8)


@pytest.mark.parametrize(("level", "kind"), _cases(CLIENT_PACKETS))
@settings(max_examples=12, deadline=None, suppress_health_check=LOADED_MACHINE)
@given(data=st.data(), cut_at=cuts)
def test_what_a_client_sends_is_read_back_whatever_the_split(
    level: int, kind: str, data: st.DataObject, cut_at: list[int]
) -> None:
    connect = data.draw(connects(level))
    packets = data.draw(st.lists(CLIENT_PACKETS[kind](level), min_size=1, max_size=3))
    packets += data.draw(st.lists(client_packets(level), max_size=3))
    stream = b"".join(encode(packet, level) for packet in [connect, *packets])
    reader = PacketReader(len(stream) + 1)

    assert feed_in_pieces(reader, stream, cut_at) == [connect, *packets]
    assert reader.protocol_level == level
    assert reader.buffered == 0


@pytest.mark.parametrize(("level", "kind"), _cases(SERVER_PACKETS))
@settings(max_examples=12, deadline=None, suppress_health_check=LOADED_MACHINE)
@given(data=st.data(), cut_at=cuts)
def test_what_a_server_sends_is_read_back_whatever_the_split(
    level: int, kind: str, data: st.DataObject, cut_at: list[int]
) -> None:
    packets = data.draw(st.lists(SERVER_PACKETS[kind](level), min_size=1, max_size=3))
    packets += data.draw(st.lists(server_packets(level), max_size=3))
    stream = b"".join(encode(packet, level) for packet in packets)
    reader = PacketReader.of_server(len(stream), level)

    assert feed_in_pieces(reader, stream, cut_at) == packets


def test_a_large_packet_fed_one_byte_at_a_time_is_read_once_complete() -> None:
    """AWS's largest payload (128 KB), a byte per feed: each byte is appended, not reparsed."""
    reader = PacketReader(200_000)
    reader.feed(encode(Connect(MQTT_311, "device"), MQTT_311))
    publish = Publish("things/device/up", bytes(range(256)) * 512, 1, packet_id=1)
    stream = encode(publish, MQTT_311) + encode(Pingreq(), MQTT_311)
    read: list[Packet] = []
    for index in range(len(stream)):
        read += reader.feed(stream[index : index + 1])
        assert len(read) == (index >= len(stream) - 3) + (index == len(stream) - 1)
    assert read == [publish, Pingreq()]


def test_an_mqtt_5_publish_named_by_its_topic_alias_alone() -> None:
    publish = Publish("", b"x", 1, packet_id=2, properties=Properties(topic_alias=3))
    reader = PacketReader.of_server(100, MQTT_5)
    assert reader.feed(encode(publish, MQTT_5)) == [publish]


@pytest.mark.parametrize("topic", ["", "a/+", "#"])
def test_a_publish_to_no_topic_name_cannot_be_encoded(topic: str) -> None:
    with pytest.raises(ValueError):
        encode(Publish(topic, b"x"), MQTT_311)
