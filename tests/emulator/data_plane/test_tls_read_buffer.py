"""The listeners' TLS connections receive into READ_SIZE bytes, not asyncio's 256 KiB, and
still carry whatever AWS allows: a 128 KB PUBLISH (twice the buffer, eight TLS records) reaches
its subscriber whole, and a burst of small ones arrives in order.
"""

from __future__ import annotations

import asyncio
import asyncio.sslproto

from tests.emulator.data_plane.in_process_broker import RunningBroker, in_process_broker
from zaws.emulator.data_plane import codec
from zaws.emulator.data_plane.broker_connection import MAX_PAYLOAD
from zaws.emulator.data_plane.broker_listeners import READ_SIZE

__all__ = ["in_process_broker"]  # fixture

WAIT_S = 30.0
LEVEL = codec.MQTT_311


async def read_until(reader: asyncio.StreamReader, count: int) -> list[codec.Packet]:
    packets: list[codec.Packet] = []
    parser = codec.PacketReader.of_server(1 << 20, LEVEL)
    while len(packets) < count:
        data = await asyncio.wait_for(reader.read(65536), WAIT_S)
        assert data, f"closed after {packets}"
        packets.extend(parser.feed(data))
    return packets


def test_tls_connections_get_a_read_size_buffer(in_process_broker: RunningBroker) -> None:
    assert asyncio.sslproto.SSLProtocol.max_size == READ_SIZE < 256 * 1024  # type: ignore[attr-defined]


def test_the_largest_payload_and_a_burst_still_arrive_whole(
    in_process_broker: RunningBroker,
) -> None:
    big = bytes(range(256)) * (MAX_PAYLOAD // 256)
    assert len(big) == MAX_PAYLOAD > READ_SIZE

    async def scenario() -> None:
        reader, writer = await in_process_broker.open()
        writer.write(codec.encode(codec.Connect(LEVEL, "buffers", keep_alive=60), LEVEL))
        subscription = codec.Subscription("t/buffers", 1)
        writer.write(codec.encode(codec.Subscribe(1, (subscription,)), LEVEL))
        assert [type(p) for p in await read_until(reader, 2)] == [codec.Connack, codec.Suback]
        writer.write(codec.encode(codec.Publish("t/buffers", big, 1, packet_id=2), LEVEL))
        small = [codec.Publish("t/buffers", b"%d" % n, 0) for n in range(200)]
        writer.write(b"".join(codec.encode(p, LEVEL) for p in small))
        packets = await read_until(reader, 202)
        delivered = [p for p in packets if isinstance(p, codec.Publish)]
        assert delivered[0].payload == big
        assert [p.payload for p in delivered[1:]] == [p.payload for p in small]
        assert codec.Puback(2) in packets
        writer.close()

    asyncio.run(scenario())
