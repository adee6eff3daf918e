"""The broker under faults and load, in process on real TLS sockets: a client that never sends
CONNECT, a thousand idle connections, a thousand malformed streams. Whatever they do, a good
client keeps being served.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emulator.data_plane.in_process_broker import (
    CONNECT_TIMEOUT_S,
    RunningBroker,
    in_process_broker,
)
from zaws.emulator.data_plane import codec

__all__ = ["in_process_broker"]  # fixture

WAIT_S = 30.0  # generous: 1000 TLS handshakes on a shared 2-core machine


def connect(client_id: str, level: int = codec.MQTT_311) -> bytes:
    return codec.encode(codec.Connect(level, client_id, keep_alive=60), level)


async def read_packets(reader: asyncio.StreamReader, count: int) -> list[codec.Packet]:
    packets: list[codec.Packet] = []
    parser = codec.PacketReader.of_server(1 << 20, codec.MQTT_311)
    while len(packets) < count:
        data = await asyncio.wait_for(reader.read(65536), WAIT_S)
        assert data, f"closed after {packets}"
        packets.extend(parser.feed(data))
    return packets


async def served(broker: RunningBroker, client_id: str) -> None:
    """A client connects, subscribes and gets its own message back."""
    reader, writer = await broker.open()
    topic = f"t/{client_id}"
    writer.write(connect(client_id))
    writer.write(codec.encode(codec.Subscribe(1, (codec.Subscription(topic, 1),)), 4))
    writer.write(codec.encode(codec.Publish(topic, b"ok", 1, packet_id=2), 4))
    packets = await read_packets(reader, 4)
    kinds = [type(p).__name__ for p in packets]
    assert sorted(kinds) == ["Connack", "Puback", "Publish", "Suback"], kinds
    writer.close()


def test_a_client_that_never_sends_connect_is_closed(in_process_broker: RunningBroker) -> None:
    async def scenario() -> None:
        reader, writer = await in_process_broker.open()
        started = time.monotonic()
        await served(in_process_broker, "meanwhile")
        assert await asyncio.wait_for(reader.read(10), WAIT_S) == b""
        assert CONNECT_TIMEOUT_S * 0.8 <= time.monotonic() - started < WAIT_S
        writer.close()

    asyncio.run(scenario())


def test_a_thousand_idle_connections_and_one_busy(in_process_broker: RunningBroker) -> None:
    async def scenario() -> None:
        gate = asyncio.Semaphore(50)

        async def idle(number: int) -> asyncio.StreamWriter:
            async with gate:
                reader, writer = await in_process_broker.open()
                writer.write(connect(f"idle-{number}"))
                (connack,) = await read_packets(reader, 1)
                assert connack == codec.Connack(False, 0)
                return writer

        writers = await asyncio.gather(*(idle(n) for n in range(1000)))
        assert len(in_process_broker.broker.connections) >= 1000
        await served(in_process_broker, "busy")
        for writer in writers:
            writer.close()

    asyncio.run(scenario())


PACKET_BYTES = st.binary(min_size=1, max_size=64)
VALID_PREFIX = st.sampled_from([b"", connect("fuzz"), connect("fuzz5", codec.MQTT_5)])


def test_a_thousand_malformed_streams_leave_the_broker_serving(
    in_process_broker: RunningBroker,
) -> None:
    @settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
    @given(prefix=VALID_PREFIX, garbage=st.lists(PACKET_BYTES, min_size=1, max_size=4))
    def one_stream(prefix: bytes, garbage: list[bytes]) -> None:
        asyncio.run(send(in_process_broker, prefix + b"".join(garbage)))

    one_stream()
    asyncio.run(served(in_process_broker, "after"))


async def send(broker: RunningBroker, data: bytes) -> None:
    _, writer = await broker.open()
    writer.write(data)
    with contextlib.suppress(ConnectionError, TimeoutError):  # the broker may close it first
        await asyncio.wait_for(writer.drain(), WAIT_S)
    writer.close()
