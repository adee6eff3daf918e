"""The codec against paho-mqtt, a client nobody here wrote: a real paho Client (MQTT 3.1.1 and 5)
talks over TCP on 127.0.0.1 to a tiny test-only server loop that reads with `PacketReader` and
answers with `encode`, and paho's callbacks see exactly what was sent. Our MQTT 5 properties are
also compared byte for byte with paho's `Properties.pack()`, and read back from it."""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paho.mqtt.client import CallbackAPIVersion, Client, MQTTMessage, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties as PahoProperties
from paho.mqtt.reasoncodes import ReasonCode
from paho.mqtt.subscribeoptions import SubscribeOptions

from tests.emulator.data_plane.test_codec_round_trip import properties_for
from zaws.emulator.data_plane import codec_properties
from zaws.emulator.data_plane.codec import (
    MQTT_5,
    MQTT_311,
    Connack,
    Connect,
    Disconnect,
    Packet,
    PacketReader,
    Pingreq,
    Pingresp,
    Properties,
    Puback,
    Publish,
    Suback,
    Subscribe,
    Subscription,
    Will,
    encode,
)

TIMEOUT = 10.0

# Generating packets is slow on a loaded 2-core machine; that is no failure of the codec.
LOADED_MACHINE = [HealthCheck.too_slow, HealthCheck.data_too_large]


class TinyServer:
    """One connection on 127.0.0.1: what the client sends, decoded, lands in `received`."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.reader = PacketReader(1 << 20)
        self.received: queue.Queue[Packet | BaseException] = queue.Queue()
        self.connection: socket.socket | None = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(TIMEOUT)
        try:
            self.connection, _ = self.listener.accept()
            self.connection.settimeout(TIMEOUT)
            while data := self.connection.recv(65536):
                for packet in self.reader.feed(data):
                    self.received.put(packet)
        except (OSError, Exception) as error:  # the test sees it as the next packet
            self.received.put(error)

    def expect(self, kind: type[Any]) -> Any:
        packet = self.received.get(timeout=TIMEOUT)
        assert isinstance(packet, kind), packet
        return packet

    def send(self, packet: Packet) -> None:
        assert self.connection is not None and self.reader.protocol_level is not None
        self.connection.sendall(encode(packet, self.reader.protocol_level))

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(OSError):  # wakes the thread's recv, as close would not
                self.connection.shutdown(socket.SHUT_RDWR)
            self.connection.close()
        self.listener.close()
        self.thread.join(TIMEOUT)


class Seen:
    """paho's callbacks, each one recorded and signalled."""

    def __init__(self, client: Client) -> None:
        self.events = {name: threading.Event() for name in ("connect", "subscribe", "publish")}
        self.events["disconnect"] = threading.Event()
        self.calls: dict[str, tuple[Any, ...]] = {}
        self.messages: queue.Queue[MQTTMessage] = queue.Queue()
        client.on_connect = lambda _c, _u, *args: self._record("connect", args)
        client.on_subscribe = lambda _c, _u, *args: self._record("subscribe", args)
        client.on_publish = lambda _c, _u, *args: self._record("publish", args)
        client.on_disconnect = lambda _c, _u, *args: self._record("disconnect", args)
        client.on_message = lambda _c, _u, message: self.messages.put(message)

    def _record(self, name: str, args: tuple[Any, ...]) -> None:
        self.calls[name] = args
        self.events[name].set()

    def wait(self, name: str) -> tuple[Any, ...]:
        assert self.events[name].wait(TIMEOUT), f"paho's on_{name} was not called"
        self.events[name].clear()
        return self.calls[name]


@pytest.fixture
def server() -> Iterator[TinyServer]:
    tiny = TinyServer()
    yield tiny
    tiny.close()


def _paho_properties(packet_type: int, **values: Any) -> PahoProperties:
    properties = PahoProperties(packet_type)
    for name, value in values.items():
        setattr(properties, name, value)
    return properties


def test_a_paho_mqtt_311_session(server: TinyServer) -> None:
    client = Client(
        CallbackAPIVersion.VERSION2, "device-311", protocol=MQTTProtocolVersion.MQTTv311
    )
    seen = Seen(client)
    client.username_pw_set("user", "secret")
    client.will_set("things/device-311/gone", b"bye", qos=1, retain=True)
    client.connect("127.0.0.1", server.port, keepalive=1)
    client.loop_start()
    try:
        connect = server.expect(Connect)
        assert connect == Connect(
            MQTT_311, "device-311", True, 1, "user", b"secret",
            Will("things/device-311/gone", b"bye", 1, True),
        )  # fmt: skip
        server.send(Connack(False, 0))
        flags, reason_code, _ = seen.wait("connect")
        assert (flags.session_present, reason_code.value) == (False, 0)

        mid = client.subscribe([("jobs/+/notify", 1), ("shadow/#", 0)])[1]
        subscribe = server.expect(Subscribe)
        assert subscribe == Subscribe(
            mid, (Subscription("jobs/+/notify", 1), Subscription("shadow/#", 0))
        )
        server.send(Suback(mid, (1, 0x80)))
        assert seen.wait("subscribe")[0] == mid
        assert [code.value for code in seen.calls["subscribe"][1]] == [1, 0x80]

        mid = client.publish("things/device-311/up", b"\x00\x01hello", qos=1, retain=True).mid
        assert server.expect(Publish) == Publish(
            "things/device-311/up", b"\x00\x01hello", 1, True, False, mid
        )
        server.send(Puback(mid))
        assert seen.wait("publish")[0] == mid
        client.publish("things/device-311/telemetry", b"{}", qos=0)
        assert server.expect(Publish) == Publish("things/device-311/telemetry", b"{}")

        server.send(Publish("jobs/7/notify", b'{"job": 7}', 1, False, False, 99))
        message = seen.messages.get(timeout=TIMEOUT)
        assert (message.topic, message.payload, message.qos, message.mid) == (
            "jobs/7/notify", b'{"job": 7}', 1, 99
        )  # fmt: skip
        assert server.expect(Puback) == Puback(99)

        server.expect(Pingreq)  # keep alive of 1 s with nothing else to send
        server.send(Pingresp())

        client.disconnect()
        assert server.expect(Disconnect) == Disconnect()
        seen.wait("disconnect")
    finally:
        client.loop_stop()


def test_a_paho_mqtt_5_session(server: TinyServer) -> None:
    client = Client(CallbackAPIVersion.VERSION2, "device-5", protocol=MQTTProtocolVersion.MQTTv5)
    seen = Seen(client)
    will_properties = _paho_properties(
        PacketTypes.WILLMESSAGE, WillDelayInterval=30, ContentType="text/plain"
    )
    client.will_set("things/device-5/gone", b"bye", qos=0, properties=will_properties)
    connect_properties = _paho_properties(
        PacketTypes.CONNECT,
        SessionExpiryInterval=3600,
        ReceiveMaximum=20,
        UserProperty=[("a", "1")],
    )
    client.connect("127.0.0.1", server.port, keepalive=60, properties=connect_properties)
    client.loop_start()
    try:
        connect = server.expect(Connect)
        assert connect == Connect(
            MQTT_5, "device-5", True, 60, None, None,
            Will("things/device-5/gone", b"bye", 0, False,
                 Properties(will_delay_interval=30, content_type="text/plain")),
            Properties(session_expiry_interval=3600, receive_maximum=20,
                       user_property=[("a", "1")]),
        )  # fmt: skip
        server.send(
            Connack(
                False,
                0,
                Properties(
                    receive_maximum=10,
                    maximum_qos=1,
                    retain_available=1,
                    server_keep_alive=1,
                    topic_alias_maximum=0,
                    reason_string="welcome",
                    user_property=[("region", "eu-west-1"), ("region", "again")],
                ),
            )
        )
        flags, reason_code, properties = seen.wait("connect")
        assert (flags.session_present, reason_code.value) == (False, 0)
        assert (properties.ReceiveMaximum, properties.MaximumQoS, properties.ServerKeepAlive) == (
            10, 1, 1
        )  # fmt: skip
        assert properties.ReasonString == "welcome"
        assert properties.UserProperty == [("region", "eu-west-1"), ("region", "again")]

        mid = client.subscribe(
            [
                ("jobs/+/notify", SubscribeOptions(1, noLocal=True, retainAsPublished=True)),
                ("shadow/#", SubscribeOptions(0, retainHandling=2)),
            ],
            properties=_paho_properties(PacketTypes.SUBSCRIBE, SubscriptionIdentifier=7),
        )[1]
        assert server.expect(Subscribe) == Subscribe(
            mid,
            (
                Subscription("jobs/+/notify", 1, True, True, 0),
                Subscription("shadow/#", 0, False, False, 2),
            ),
            Properties(subscription_identifier=7),
        )
        server.send(Suback(mid, (1, 0x87), Properties(reason_string="not authorized")))
        got_mid, codes, properties = seen.wait("subscribe")
        assert got_mid == mid and [code.value for code in codes] == [1, 0x87]
        assert properties.ReasonString == "not authorized"

        publish_properties = _paho_properties(
            PacketTypes.PUBLISH,
            PayloadFormatIndicator=1,
            MessageExpiryInterval=120,
            ContentType="application/json",
            ResponseTopic="things/device-5/reply",
            CorrelationData=b"\x01\x02",
            UserProperty=[("k", "v")],
        )
        mid = client.publish(
            "things/device-5/up", b'{"t": 1}', qos=1, retain=True, properties=publish_properties
        ).mid
        assert server.expect(Publish) == Publish(
            "things/device-5/up", b'{"t": 1}', 1, True, False, mid,
            Properties(
                payload_format_indicator=1, message_expiry_interval=120,
                content_type="application/json", response_topic="things/device-5/reply",
                correlation_data=b"\x01\x02", user_property=[("k", "v")],
            ),
        )  # fmt: skip
        server.send(Puback(mid, 0x10, Properties(reason_string="no subscribers")))
        got_mid, reason_code, properties = seen.wait("publish")
        assert (got_mid, reason_code.value, properties.ReasonString) == (
            mid, 0x10, "no subscribers"
        )  # fmt: skip

        server.send(
            Publish(
                "jobs/7/notify", b"\xff" * 3, 1, True, False, 5,
                Properties(subscription_identifier=(7,), content_type="bin",
                           user_property=[("x", "y")]),
            )
        )  # fmt: skip
        message = seen.messages.get(timeout=TIMEOUT)
        assert (message.topic, message.payload, message.qos, message.retain) == (
            "jobs/7/notify", b"\xff\xff\xff", 1, True
        )  # fmt: skip
        assert message.properties is not None
        assert message.properties.SubscriptionIdentifier == [7]
        assert message.properties.ContentType == "bin"
        assert message.properties.UserProperty == [("x", "y")]
        assert server.expect(Puback) == Puback(5)

        server.expect(Pingreq)  # the server keep alive of 1 s, which paho took from the CONNACK
        server.send(Pingresp())

        client.disconnect(
            ReasonCode(PacketTypes.DISCONNECT, identifier=0x04),
            _paho_properties(PacketTypes.DISCONNECT, SessionExpiryInterval=0),
        )
        assert server.expect(Disconnect) == Disconnect(0x04, Properties(session_expiry_interval=0))
        seen.wait("disconnect")
    finally:
        client.loop_stop()


def test_a_refused_mqtt_5_connection_reaches_paho(server: TinyServer) -> None:
    client = Client(CallbackAPIVersion.VERSION2, "intruder", protocol=MQTTProtocolVersion.MQTTv5)
    seen = Seen(client)
    client.connect("127.0.0.1", server.port)
    client.loop_start()
    try:
        server.expect(Connect)
        server.send(Connack(False, 0x87, Properties(reason_string="policy denies iot:Connect")))
        _, reason_code, properties = seen.wait("connect")
        assert reason_code.value == 0x87
        assert properties.ReasonString == "policy denies iot:Connect"
    finally:
        client.loop_stop()


# Our packet kinds and paho's packet types, for properties.
PAHO_PACKET_TYPES = {
    codec_properties.CONNECT: PacketTypes.CONNECT,
    codec_properties.CONNACK: PacketTypes.CONNACK,
    codec_properties.PUBLISH: PacketTypes.PUBLISH,
    codec_properties.PUBACK: PacketTypes.PUBACK,
    codec_properties.PUBREC: PacketTypes.PUBREC,
    codec_properties.PUBREL: PacketTypes.PUBREL,
    codec_properties.PUBCOMP: PacketTypes.PUBCOMP,
    codec_properties.SUBSCRIBE: PacketTypes.SUBSCRIBE,
    codec_properties.SUBACK: PacketTypes.SUBACK,
    codec_properties.UNSUBSCRIBE: PacketTypes.UNSUBSCRIBE,
    codec_properties.UNSUBACK: PacketTypes.UNSUBACK,
    codec_properties.DISCONNECT: PacketTypes.DISCONNECT,
    codec_properties.AUTH: PacketTypes.AUTH,
    codec_properties.WILL: PacketTypes.WILLMESSAGE,
}


def _paho_name(name: str) -> str:
    """paho's attribute for one of our names: `receive_maximum` is `ReceiveMaximum`."""
    return "MaximumQoS" if name == "maximum_qos" else name.title().replace("_", "")


def _as_paho(properties: Properties, packet: int) -> PahoProperties:
    paho = PahoProperties(PAHO_PACKET_TYPES[packet])
    for name, value in properties.items():
        setattr(paho, _paho_name(name), list(value) if isinstance(value, tuple) else value)
    return paho


@settings(max_examples=150, deadline=None, suppress_health_check=LOADED_MACHINE)
@given(st.data(), st.sampled_from(sorted(PAHO_PACKET_TYPES)))
def test_properties_are_packed_byte_for_byte_as_paho_packs_them(
    data: st.DataObject, packet: int
) -> None:
    ours = data.draw(properties_for(packet, frozenset({"maximum_packet_size"})))
    packed = _as_paho(ours, packet).pack()

    assert codec_properties.encode_properties(ours, packet) == packed
    assert codec_properties.decode_properties(packed, 0, len(packed), packet) == (
        ours, len(packed)
    )  # fmt: skip


@given(st.integers(1, 268_435_455))
@settings(max_examples=30, deadline=None, suppress_health_check=LOADED_MACHINE)
def test_maximum_packet_size_as_paho_packs_it(size: int) -> None:
    """paho allows 1..268435455 (the spec allows a four-byte integer): compared in paho's range."""
    ours = Properties(maximum_packet_size=size)
    packed = _as_paho(ours, codec_properties.CONNECT).pack()
    assert codec_properties.encode_properties(ours, codec_properties.CONNECT) == packed
