"""QoS 1 and persistent sessions, QoS 2 as AWS IoT treats it, and reserved-topic RETAIN, packet by
packet with a raw client (paho acknowledges for itself, so it cannot leave a message unacked).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from tests.emulator.data_plane.in_process_broker import RunningBroker, in_process_broker
from zaws.emulator.data_plane import codec

__all__ = ["in_process_broker"]  # fixture

WAIT_S = 10.0


class RawClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, level: int):
        self.reader, self.writer, self.level = reader, writer, level
        self.parser = codec.PacketReader.of_server(1 << 20, level)
        self.pending: list[codec.Packet] = []

    @classmethod
    async def connect(
        cls,
        broker: RunningBroker,
        client_id: str,
        level: int = codec.MQTT_311,
        clean: bool = True,
        receive_maximum: int = 65535,
    ) -> tuple[RawClient, codec.Connack]:
        reader, writer = await broker.open()
        client = cls(reader, writer, level)
        properties = codec.NO_PROPERTIES
        if level == codec.MQTT_5:
            properties = codec.Properties(receive_maximum=receive_maximum)
        if level == codec.MQTT_5 and not clean:
            properties = codec.Properties(session_expiry_interval=600)
        client.send(codec.Connect(level, client_id, clean, 60, properties=properties))
        connack = await client.next()
        assert isinstance(connack, codec.Connack), connack
        return client, connack

    def send(self, packet: codec.Packet) -> None:
        self.writer.write(codec.encode(packet, self.level))

    async def next(self, timeout: float = WAIT_S) -> codec.Packet:
        while not self.pending:
            data = await asyncio.wait_for(self.reader.read(65536), timeout)
            if not data:
                raise EOFError("closed by the broker")
            self.pending.extend(self.parser.feed(data))
        return self.pending.pop(0)

    async def nothing(self, timeout: float = 0.5) -> bool:
        try:
            packet = await self.next(timeout)
        except TimeoutError:
            return True
        raise AssertionError(f"unexpected {packet}")

    async def closed(self) -> list[codec.Packet]:
        """The packets received until the broker closed the connection."""
        seen: list[codec.Packet] = []
        try:
            while True:
                seen.append(await self.next())
        except EOFError:
            return seen

    async def subscribe(self, topic_filter: str, qos: int = 1, packet_id: int = 1) -> codec.Suback:
        self.send(codec.Subscribe(packet_id, (codec.Subscription(topic_filter, qos),)))
        suback = await self.next()
        assert isinstance(suback, codec.Suback), suback
        return suback

    def close(self) -> None:
        self.writer.close()


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(scenario(), 60))


def test_an_unacknowledged_message_comes_again_with_dup(in_process_broker: RunningBroker) -> None:
    async def scenario() -> None:
        receiver, _ = await RawClient.connect(in_process_broker, "keeper", clean=False)
        assert (await receiver.subscribe("k/t")).reason_codes == (1,)
        sender, _ = await RawClient.connect(in_process_broker, "sender")
        sender.send(codec.Publish("k/t", b"m", 1, packet_id=9))
        first = await receiver.next()
        assert isinstance(first, codec.Publish) and not first.dup
        receiver.close()  # without PUBACK
        again, connack = await RawClient.connect(in_process_broker, "keeper", clean=False)
        assert connack.session_present
        second = await again.next()
        assert isinstance(second, codec.Publish)
        assert (second.payload, second.dup, second.packet_id) == (b"m", True, first.packet_id)
        again.send(codec.Puback(second.packet_id or 0))
        assert await again.nothing()
        sender.close()
        again.close()

    run(scenario)


def test_at_most_100_in_flight_then_the_rest_as_acks_come(in_process_broker: RunningBroker) -> None:
    async def scenario() -> None:
        receiver, _ = await RawClient.connect(in_process_broker, "slow")
        await receiver.subscribe("s/t")
        sender, _ = await RawClient.connect(in_process_broker, "fast")
        for n in range(1, 151):
            sender.send(codec.Publish("s/t", str(n).encode(), 1, packet_id=n))
        received = [await receiver.next() for _ in range(100)]
        assert await receiver.nothing()
        for packet in received[:50]:
            assert isinstance(packet, codec.Publish)
            receiver.send(codec.Puback(packet.packet_id or 0))
        rest = [await receiver.next() for _ in range(50)]
        payloads = [p.payload for p in [*received, *rest] if isinstance(p, codec.Publish)]
        assert payloads == [str(n).encode() for n in range(1, 151)]
        sender.close()
        receiver.close()

    run(scenario)


def test_an_mqtt5_clients_receive_maximum_is_kept(in_process_broker: RunningBroker) -> None:
    async def scenario() -> None:
        receiver, _ = await RawClient.connect(
            in_process_broker, "small", codec.MQTT_5, receive_maximum=3
        )
        await receiver.subscribe("m/t")
        sender, _ = await RawClient.connect(in_process_broker, "many")
        for n in range(1, 6):
            sender.send(codec.Publish("m/t", str(n).encode(), 1, packet_id=n))
        received = [await receiver.next() for _ in range(3)]
        assert await receiver.nothing()
        assert isinstance(received[0], codec.Publish)
        receiver.send(codec.Puback(received[0].packet_id or 0))
        fourth = await receiver.next()
        assert isinstance(fourth, codec.Publish) and fourth.payload == b"4"
        sender.close()
        receiver.close()

    run(scenario)


def test_qos2_gets_no_acknowledgment_on_311(in_process_broker: RunningBroker) -> None:
    async def scenario() -> None:
        client, _ = await RawClient.connect(in_process_broker, "q2")
        await client.subscribe("q/t", qos=1, packet_id=1)
        client.send(codec.Publish("q/t", b"two", 2, packet_id=5))
        assert await client.nothing()  # no PUBREC, and not delivered
        client.send(codec.Subscribe(2, (codec.Subscription("q/u", 2),)))
        assert await client.nothing()  # no SUBACK
        client.send(codec.Pingreq())
        assert await client.next() == codec.Pingresp()  # still connected
        client.close()

    run(scenario)


def test_qos2_on_mqtt5(in_process_broker: RunningBroker) -> None:
    async def scenario() -> None:
        client, connack = await RawClient.connect(in_process_broker, "q5", codec.MQTT_5)
        assert connack.properties["maximum_qos"] == 1
        assert (await client.subscribe("q/t", qos=2)).reason_codes == (1,)  # granted as 1
        client.send(codec.Publish("q/t", b"two", 2, packet_id=5))
        assert await client.closed() == [codec.Disconnect(0x9B)]

    run(scenario)


def test_retain_on_a_reserved_topic_closes(in_process_broker: RunningBroker) -> None:
    async def scenario() -> None:
        client, _ = await RawClient.connect(in_process_broker, "r5", codec.MQTT_5)
        client.send(codec.Publish("$aws/things/t/shadow/update", b"{}", 0, retain=True))
        assert await client.closed() == [codec.Disconnect(0x87)]

    run(scenario)
