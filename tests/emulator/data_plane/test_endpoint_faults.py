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
from tests.emulator.data_plane.malformed_mqtt import (
    GARBAGE,
    SEQUENCES,
    remaining_length,
    terminated,
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
    # a handshake may take as long as the clients here wait for it (thousands of handshakes on
    # a loaded machine); the handshake timeout is tested in a module of its own
    options = (
        *("--mqtt-connect-timeout", str(CONNECT_TIMEOUT_S)),
        *("--mqtt-handshake-timeout", str(WAIT_S)),
    )
    with own_emulator(root, *options, soft_nofile=EMULATOR_SOFT_NOFILE) as emulator:
        raise_nofile_limit(IDLE_CONNECTIONS * 2 + 1024)
        yield emulator


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.Runner]:
    with asyncio.Runner() as runner:
        yield runner


# ---- malformed packet sequences


PER_EXAMPLE = 8
EXAMPLES = 130  # x 8: over a thousand sequences


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
