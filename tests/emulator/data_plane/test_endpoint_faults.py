"""The emulator's MQTT endpoint under bad input and faults (issue 11, item 6), against an emulator
process of this module's own, started with a short connect timeout: malformed packet sequences
made by hypothesis, a handshake without a certificate or with one nobody registered, an oversized
CONNECT, clients that never finish their CONNECT, two thousand idle connections. Each is answered
as AWS IoT answers it (the connection is closed, and whatever the server said before is well-formed
MQTT), and a real paho-mqtt client is served throughout.

Two thousand connections need more file descriptors than a common soft limit of 1024: this test
process raises its own RLIMIT_NOFILE (up to the hard limit), and starts the emulator with a soft
limit of 1024, so that the emulator must raise its own as well.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emulator.data_plane.emulator_process import (
    WAIT_S,
    Emulator,
    connect_packet,
    own_emulator,
    served_raw,
    server_packets,
    until_closed,
)
from tests.emulator.data_plane.mqtt_devices import Credentials, tls_context, unique
from tests.support.self_signed import key_pem, self_signed
from zaws.emulator.data_plane import codec
from zaws.emulator.data_plane.broker_connection import MAX_PACKET

CONNECT_TIMEOUT_S = 1.0
IDLE_CONNECTIONS = 2000
EMULATOR_SOFT_NOFILE = 1024  # a common default the emulator must rise above on its own


def raise_nofile_limit(wanted: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return max(soft, target)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    root = tmp_path_factory.mktemp("faults")
    options = ("--mqtt-connect-timeout", str(CONNECT_TIMEOUT_S))
    with own_emulator(root, *options, soft_nofile=EMULATOR_SOFT_NOFILE) as emulator:
        raise_nofile_limit(IDLE_CONNECTIONS * 2 + 1024)
        yield emulator


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.Runner]:
    with asyncio.Runner() as runner:
        yield runner


# ---- malformed packet sequences


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
PER_EXAMPLE = 8
EXAMPLES = 130  # x 8: over a thousand sequences
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


async def send_sequence(emulator: Emulator, context: ssl.SSLContext, data: bytes) -> None:
    reader, writer = await emulator.open(context)
    try:
        writer.write(terminated(data))
        with contextlib.suppress(ConnectionError, ssl.SSLError):  # closed before all was read
            await asyncio.wait_for(writer.drain(), WAIT_S)
        server_packets(await until_closed(reader))
    finally:
        writer.close()


def test_a_thousand_malformed_sequences_leave_the_endpoint_serving(
    emulator: Emulator, loop: asyncio.Runner
) -> None:
    context = emulator.client_context()
    sent = [0]

    @settings(
        max_examples=EXAMPLES,
        deadline=timedelta(seconds=WAIT_S * 2),
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(sequences=st.lists(SEQUENCES, min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
    def some_sequences(sequences: list[bytes]) -> None:
        async def all_at_once() -> None:
            await asyncio.gather(*(send_sequence(emulator, context, s) for s in sequences))

        loop.run(all_at_once())
        sent[0] += len(sequences)

    some_sequences()
    assert sent[0] >= 1000
    emulator.served()


# ---- handshakes and CONNECTs


def stranger_context(emulator: Emulator, folder: Path) -> ssl.SSLContext:
    """A client certificate the account never registered, self-signed."""
    key, certificate = self_signed("stranger", days=30)
    cert_file, key_file = folder / "stranger.pem", folder / "stranger-key.pem"
    cert_file.write_text(certificate)
    key_file.write_text(key_pem(key))
    stranger = Credentials("-", "-", cert_file, key_file)
    context: ssl.SSLContext = tls_context(emulator.endpoint, stranger)
    return context


@pytest.mark.parametrize("who", ["no certificate", "unknown certificate"])
def test_a_handshake_without_a_known_certificate_fails(
    emulator: Emulator, loop: asyncio.Runner, tmp_path: Path, who: str
) -> None:
    if who == "no certificate":
        context: ssl.SSLContext = tls_context(emulator.endpoint, None)
    else:
        context = stranger_context(emulator, tmp_path)

    async def refused() -> None:
        try:
            reader, writer = await emulator.open(context)
        except (ssl.SSLError, ConnectionError):
            return  # TLS 1.2: the handshake itself fails
        writer.write(connect_packet(unique("nobody"), codec.MQTT_311))
        # TLS 1.3: the client's handshake completes first; the server's alert comes next
        assert await until_closed(reader) == b""
        writer.close()

    loop.run(refused())
    emulator.served()


@pytest.mark.parametrize("level", [codec.MQTT_311, codec.MQTT_5])
def test_an_oversized_connect_is_closed(
    emulator: Emulator, loop: asyncio.Runner, level: int
) -> None:
    """A CONNECT over the endpoint's packet size, whole (a Will, user name and password of 64 KB
    each) or only as a length: closed as soon as its length is read, without a CONNACK."""
    will = codec.Will("will/big", b"w" * 0xFFFF, 0)
    big = codec.Connect(
        level,
        unique("big"),
        keep_alive=60,
        will=will,
        username="u" * 0xFFFF,
        password=b"p" * 0xFFFF,
    )
    whole = codec.encode(big, level)
    assert len(whole) > MAX_PACKET
    declared = b"\x10" + remaining_length(0x0FFFFFFF) + whole[5:1000]

    async def closed(data: bytes) -> list[codec.Packet]:
        reader, writer = await emulator.open()
        writer.write(data)
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await asyncio.wait_for(writer.drain(), WAIT_S)
        packets = server_packets(await until_closed(reader))
        writer.close()
        return packets

    assert loop.run(closed(whole)) == []
    assert loop.run(closed(declared)) == []
    emulator.served()


def closed_after(
    emulator: Emulator, trickle: bytes = b"", gap_s: float = 0.0
) -> Callable[[], float]:
    """A blocking TLS client in a thread of its own that sends `trickle` a byte every `gap_s`
    and reads until the server closes; the returned call waits and gives the seconds it took."""
    raw = socket.create_connection((emulator.endpoint.host, emulator.endpoint.port), WAIT_S)
    tls = emulator.client_context().wrap_socket(raw, server_hostname=emulator.endpoint.server_name)
    started = time.monotonic()
    result: dict[str, Any] = {}

    def client() -> None:
        with tls:
            tls.settimeout(gap_s or WAIT_S)
            pending, received = list(trickle), b""
            while time.monotonic() - started < WAIT_S:
                try:
                    chunk = tls.recv(100)
                except TimeoutError:
                    if pending:
                        tls.sendall(bytes([pending.pop(0)]))  # the stimulus's pace
                    continue
                except (OSError, ssl.SSLError):
                    break
                if not chunk:
                    break
                received += chunk
            result["received"] = received
            result["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=client, daemon=True)
    thread.start()

    def wait() -> float:
        thread.join(WAIT_S + 5)
        assert result.get("received") == b"", result
        seconds: float = result["seconds"]
        assert seconds < WAIT_S, "the server kept the connection open"
        return seconds

    return wait


def test_clients_that_never_finish_connect_are_closed_after_the_timeout(
    emulator: Emulator, loop: asyncio.Runner
) -> None:
    """The connect timeout counts from the handshake: a silent client and one that trickles its
    CONNECT a byte at a time, each byte within the timeout, are both closed after it."""
    gap_s = CONNECT_TIMEOUT_S * 0.6
    silent = closed_after(emulator)
    slow = closed_after(emulator, connect_packet(unique("slow"), codec.MQTT_311), gap_s)
    loop.run(served_raw(emulator, unique("meanwhile")))
    assert CONNECT_TIMEOUT_S * 0.8 <= silent() < WAIT_S
    assert CONNECT_TIMEOUT_S * 0.8 <= slow() < CONNECT_TIMEOUT_S + 8 * gap_s  # not 16 s
    emulator.served()


# ---- many idle connections


def test_two_thousand_idle_connections_while_a_client_is_served(
    emulator: Emulator, loop: asyncio.Runner
) -> None:
    context = emulator.client_context()
    gate = asyncio.Semaphore(50)  # handshakes in flight at once

    async def idle(number: int) -> asyncio.StreamWriter:
        async with gate:
            reader, writer = await emulator.open(context)
            writer.write(connect_packet(f"idle-{number}-{os.getpid()}", codec.MQTT_311))
            parser = codec.PacketReader.of_server(1 << 16, codec.MQTT_311)
            packets: list[codec.Packet] = []
            while not packets:
                data = await asyncio.wait_for(reader.read(1024), WAIT_S)
                assert data, f"idle connection {number} was closed"
                packets = parser.feed(data)
            assert packets == [codec.Connack(False, 0)]
            return writer

    async def scenario() -> None:
        # paho's loop uses select(), which takes no descriptor over 1023: a few low ones are
        # held, and closed for the good client's sockets (the lowest free number is given next)
        low = [os.open(os.devnull, os.O_RDONLY) for _ in range(8)]
        writers = await asyncio.gather(*(idle(n) for n in range(IDLE_CONNECTIONS)))
        for fd in low:
            os.close(fd)
        await asyncio.to_thread(emulator.served)
        for writer in writers:
            writer.close()

    loop.run(scenario())


def test_packets_before_a_malformed_one_are_acted_on(
    emulator: Emulator, loop: asyncio.Runner
) -> None:
    """AWS reads a stream in order: what came whole before a malformed packet, in the same read,
    is answered (CONNACK, SUBACK, PUBACK, the message routed) before the connection closes."""
    client_id = unique("then-garbage")
    topic = f"then/{client_id}"
    level = codec.MQTT_311
    stream = b"".join(
        [
            connect_packet(client_id, level),
            codec.encode(codec.Subscribe(1, (codec.Subscription(topic, 1),)), level),
            codec.encode(codec.Publish(topic, b"before", 1, packet_id=2), level),
            GARBAGE,
        ]
    )

    async def scenario() -> list[codec.Packet]:
        reader, writer = await emulator.open()
        writer.write(stream)  # one TLS record: one read on the server
        packets = server_packets(await until_closed(reader))
        writer.close()
        return packets

    packets = loop.run(scenario())
    assert sorted(type(p).__name__ for p in packets) == ["Connack", "Puback", "Publish", "Suback"]
    emulator.served()
