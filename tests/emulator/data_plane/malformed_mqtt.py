"""Hypothesis strategies of malformed MQTT streams, for the fault tests of each listener (mutual
TLS: test_endpoint_faults; WebSocket: test_websocket_faults): valid streams (a CONNECT, then other
packets) with bytes flipped, set, inserted or removed, cut short, packets whose length is over the
limit or not in its shortest form, a first packet other than CONNECT, random bytes after a CONNECT
or none. `terminated` makes any of them end in a malformed packet, so a server must close.
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.emulator.data_plane.emulator_process import connect_packet
from zaws.emulator.data_plane import codec
from zaws.emulator.data_plane.broker_connection import MAX_PACKET

VALID_AFTER_CONNECT = [
    codec.Subscribe(1, (codec.Subscription("fuzz/#", 1),)),
    codec.Publish("fuzz/a", b"payload", 1, packet_id=2),
    codec.Publish("fuzz/b", b"", 0),
    codec.Unsubscribe(3, ("fuzz/#",)),
    codec.Puback(7),
    codec.Pingreq(),
    codec.Pubrel(4),
]


def valid_stream(level: int, count: int) -> bytes:
    packets = [connect_packet("fuzz-valid", level)]
    packets += [codec.encode(p, level) for p in VALID_AFTER_CONNECT[:count]]
    return b"".join(packets)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid stream (CONNECT then other packets) with bytes flipped, inserted or removed."""
    level = draw(st.sampled_from([codec.MQTT_311, codec.MQTT_5]))
    data = bytearray(valid_stream(level, draw(st.integers(0, len(VALID_AFTER_CONNECT)))))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "set", "insert", "delete"]))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif len(data) > 1:
            del data[at]
    return bytes(data)


@st.composite
def truncated(draw: st.DrawFn) -> bytes:
    """A valid stream cut short: the server waits for the rest, then gets garbage."""
    level = draw(st.sampled_from([codec.MQTT_311, codec.MQTT_5]))
    data = valid_stream(level, draw(st.integers(0, len(VALID_AFTER_CONNECT))))
    return data[: draw(st.integers(1, len(data) - 1))]


def remaining_length(value: int) -> bytes:
    out = bytearray()
    while True:
        value, digit = divmod(value, 128)
        out.append(digit | (0x80 if value else 0))
        if not value:
            return bytes(out)


@st.composite
def oversized(draw: st.DrawFn) -> bytes:
    """A packet header whose length is over the limit, over 4 bytes, or not in its shortest form."""
    prefix = draw(st.sampled_from([b"", connect_packet("fuzz-big", codec.MQTT_311)]))
    first = draw(st.integers(0, 255)) if prefix else 0x10
    length = draw(
        st.one_of(
            st.integers(MAX_PACKET, 268_435_455).map(remaining_length),
            st.just(b"\xff\xff\xff\xff\x7f"),
            st.sampled_from([b"\x80\x00", b"\x81\x80\x00", b"\xff\x80\x80\x00"]),
        )
    )
    return prefix + bytes([first]) + length + draw(st.binary(max_size=16))


@st.composite
def wrong_first(draw: st.DrawFn) -> bytes:
    """A well-formed packet other than CONNECT first."""
    packet = draw(st.sampled_from([*VALID_AFTER_CONNECT, codec.Disconnect()]))
    return codec.encode(packet, draw(st.sampled_from([codec.MQTT_311, codec.MQTT_5])))


@st.composite
def random_after_connect(draw: st.DrawFn) -> bytes:
    prefix = draw(
        st.sampled_from(
            [b"", connect_packet("fuzz-3", codec.MQTT_311), connect_packet("fuzz-5", codec.MQTT_5)]
        )
    )
    return prefix + draw(st.binary(min_size=1, max_size=64))


SEQUENCES = st.one_of(mutated(), truncated(), oversized(), wrong_first(), random_after_connect())
GARBAGE = b"\xff" * 8  # AUTH with reserved flags and a length over 4 bytes: malformed at once


def terminated(data: bytes) -> bytes:
    """`data` then garbage, enough to complete any packet it left incomplete: the server must
    close the connection, whatever `data` was."""
    reader = codec.PacketReader(MAX_PACKET)
    try:
        reader.feed(data)
    except (codec.MalformedPacket, codec.UnsupportedProtocolVersion):
        return data + GARBAGE
    return data + (b"\xff" * MAX_PACKET if reader.buffered else b"") + GARBAGE
