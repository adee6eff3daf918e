"""One client's MQTT conversation with the broker, and AWS IoT Core's answers to each packet.

A `Connection` reads packets off its `Link` (TLS stream or WebSocket), asks the connection's
`Authorization` before acting, and leaves routing to the `Broker`. What AWS does, and so what this
does (see docs/architecture.md and the data-plane note for the sources):
- no whole CONNECT within the connect timeout (counted from the handshake, not from each byte),
  a malformed packet, keep-alive exceeded (1.5 x the client's value, which is not clamped to AWS's
  range, unconfirmed anyway, so a test can use 1 s; 0 is AWS's 30-minute idle limit): the
  connection is closed (MQTT 5: DISCONNECT with the reason first, when the CONNECT was read),
  after the packets that came whole before the malformed one are acted on, in order;
- CONNECT: a client id that is empty, over 128 bytes or starts with `$` is refused (CONNACK 0x02,
  MQTT 5 0x85); a certificate not ACTIVE or an iot:Connect not allowed: on MQTT 3.1.1 the socket
  is closed without a CONNACK, which is what devices see from AWS (the client learns nothing; `zaws
  mqtt` explains with the policy evaluator), on MQTT 5 CONNACK 0x87; a Will of QoS 2 likewise;
- PUBLISH: QoS 2 on 3.1.1 gets no PUBREC and is dropped (AWS sends no acknowledgment for QoS 2),
  on MQTT 5 DISCONNECT 0x9B (QoS not supported: our CONNACK says maximum QoS 1); a topic over
  AWS's limits or a payload over 128 KB closes the connection (0x90, 0x95); iot:Publish (and
  iot:RetainPublish for RETAIN) not allowed closes it (MQTT 5: DISCONNECT 0x87); RETAIN on a `$`
  topic is refused the same way;
- SUBSCRIBE: each filter needs iot:Subscribe, else it gets 0x80 (MQTT 5 0x87); more than 8
  filters in one SUBSCRIBE: every filter fails (0x80, MQTT 5 0x97); QoS 2 on 3.1.1: no SUBACK at
  all (as AWS documents), on MQTT 5 granted as 1;
- a certificate deactivated, revoked or deleted while connected: the next packet closes the
  connection (the broker's deliveries check it too).
The reason a connection ended is AWS's lifecycle `disconnectReason`: CLIENT_INITIATED_DISCONNECT,
CONNECTION_LOST, DUPLICATE_CLIENTID, MQTT_KEEP_ALIVE_TIMEOUT, FORBIDDEN_ACCESS (a refused
PUBLISH), AUTH_ERROR (the certificate no longer active), CLIENT_ERROR (bad input),
SERVER_INITIATED_DISCONNECT (the emulator stopping).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, Protocol

from zaws.emulator.data_plane import codec
from zaws.emulator.data_plane.authorization import Authorization, CertificateNotActive
from zaws.emulator.data_plane.sessions import MAX_IN_FLIGHT, Session
from zaws.emulator.data_plane.topic_matching import topic_filter_problem, topic_name_problem

if TYPE_CHECKING:
    from zaws.emulator.data_plane.broker import Broker

log = logging.getLogger("zaws.emulator.mqtt")

MAX_CLIENT_ID_BYTES = 128
MAX_PAYLOAD = 128 * 1024
MAX_FILTERS_PER_SUBSCRIBE = 8
MAX_PACKET = MAX_PAYLOAD + 64 * 1024  # room for the topic and MQTT 5 properties
IDLE_WITHOUT_KEEP_ALIVE_S = 1800.0
TOPIC_ALIAS_MAXIMUM = 8

NOT_AUTHORIZED = 0x87
QUOTA_EXCEEDED = 0x97
SESSION_TAKEN_OVER = 0x8E
QOS_NOT_SUPPORTED = 0x9B
PACKET_TOO_LARGE = 0x95
TOPIC_NAME_INVALID = 0x90
TOPIC_FILTER_INVALID = 0x8F
SHARED_NOT_SUPPORTED = 0x9E
PROTOCOL_ERROR = 0x82
KEEP_ALIVE_TIMEOUT = 0x8D


class Link(Protocol):
    """A byte stream to the client: TLS over TCP or binary WebSocket messages."""

    peer_ip: str | None

    async def read(self) -> bytes: ...  # b"" at the end
    def write(self, data: bytes) -> None: ...
    def close(self) -> None: ...


class Closing(Exception):
    """Stop serving this connection: `reason` is AWS's lifecycle disconnect reason."""

    def __init__(self, reason: str, mqtt5_code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.mqtt5_code = mqtt5_code


Identify = Callable[[str], Authorization]  # client id -> the connection's authorization


class Connection:
    def __init__(self, broker: Broker, link: Link, identify: Identify) -> None:
        self.broker = broker
        self.link = link
        self.identify = identify
        self.client_id = ""
        self.level = codec.MQTT_311
        self.session: Session | None = None
        self.authorization: Authorization | None = None
        self.will: codec.Will | None = None
        self.keep_alive_s: float | None = None
        self.closed = False
        self.aliases: dict[int, str] = {}
        self.connected = False
        self.closed_reason = "CONNECTION_LOST"

    # ---- reading

    async def run(self) -> None:
        reader = codec.PacketReader(MAX_PACKET)
        reason = "CONNECTION_LOST"
        connect_by = time.monotonic() + self.broker.connect_timeout_s  # not reset by each byte
        try:
            while not self.closed:
                timeout = self.keep_alive_s if self.connected else connect_by - time.monotonic()
                try:
                    data = await asyncio.wait_for(self.link.read(), timeout)
                except TimeoutError:
                    raise Closing("MQTT_KEEP_ALIVE_TIMEOUT", KEEP_ALIVE_TIMEOUT) from None
                if not data:
                    break
                try:
                    packets = reader.feed(data)
                except codec.MalformedPacket as err:
                    packets = list(err.packets_before)  # whole before it: answered first
                    failed: codec.MalformedPacket | None = err
                else:
                    failed = None
                for packet in packets:
                    self.handle(packet)
                    if self.closed:
                        break
                if failed is not None and not self.closed:
                    raise failed
        except codec.UnsupportedProtocolVersion:
            self.send(codec.Connack(False, 0x01), level=codec.MQTT_311)
            reason = "CLIENT_ERROR"
        except codec.MalformedPacket as err:
            log.info("mqtt %s: malformed packet: %s", self.client_id or "(no CONNECT)", err)
            self._say_disconnect(err.reason_code)
            reason = "CLIENT_ERROR"
        except Closing as closing:
            if closing.mqtt5_code is not None:
                self._say_disconnect(closing.mqtt5_code)
            reason = closing.reason
        except (ConnectionError, OSError):
            reason = "CONNECTION_LOST"
        finally:
            if self.closed and reason == "CONNECTION_LOST":
                reason = self.closed_reason
            self.close(reason)

    def close(self, reason: str) -> None:
        if not self.closed:
            self.closed = True
            self.closed_reason = reason
        self.link.close()
        if self.connected:
            self.connected = False
            self.broker.detach(self, self.closed_reason)

    def kick(self, reason: str, mqtt5_code: int) -> None:
        """Close from the broker's side (taken over, certificate no longer active...)."""
        if self.closed:
            return
        self._say_disconnect(mqtt5_code)
        self.close(reason)

    def _say_disconnect(self, code: int) -> None:
        if self.connected and self.level == codec.MQTT_5 and not self.closed:
            self.send(codec.Disconnect(code))

    def send(self, packet: codec.Packet, level: int | None = None) -> None:
        if self.closed:
            return
        try:
            self.link.write(codec.encode(packet, level or self.level))
        except (ConnectionError, OSError, RuntimeError):
            self.close("CONNECTION_LOST")

    # ---- packets

    def handle(self, packet: codec.Packet) -> None:
        if isinstance(packet, codec.Connect):
            self.on_connect(packet)
            return
        if not self.connected:
            raise codec.MalformedPacket("the first packet must be CONNECT", PROTOCOL_ERROR)
        try:
            if isinstance(packet, codec.Publish):
                self.on_publish(packet)
            elif isinstance(packet, codec.Subscribe):
                self.on_subscribe(packet)
            elif isinstance(packet, codec.Unsubscribe):
                self.on_unsubscribe(packet)
            elif isinstance(packet, codec.Puback):
                self.broker.acknowledged(self, packet.packet_id)
            elif isinstance(packet, codec.Pingreq):
                self.check_certificate()
                self.send(codec.Pingresp())
            elif isinstance(packet, codec.Disconnect):
                if not (self.level == codec.MQTT_5 and packet.reason_code == 0x04):
                    self.will = None  # a normal DISCONNECT discards the Will
                raise Closing("CLIENT_INITIATED_DISCONNECT")
            elif isinstance(packet, codec.Connect | codec.Auth):
                raise Closing("CLIENT_ERROR", PROTOCOL_ERROR)
            # PUBREC, PUBREL, PUBCOMP: the broker never sends QoS 2, so nothing to do
        except CertificateNotActive as err:
            log.info("mqtt %s: closed: %s", self.client_id, err)
            raise Closing("AUTH_ERROR", NOT_AUTHORIZED) from None

    def check_certificate(self) -> None:
        assert self.authorization is not None
        self.authorization.still_active()

    def on_connect(self, connect: codec.Connect) -> None:
        if self.connected:
            raise Closing("CLIENT_ERROR", PROTOCOL_ERROR)
        self.level = connect.protocol_level
        client_id = connect.client_id
        v5 = self.level == codec.MQTT_5
        if not client_id or len(client_id.encode()) > MAX_CLIENT_ID_BYTES or client_id[0] == "$":
            self.send(codec.Connack(False, 0x85 if v5 else 0x02))
            raise Closing("CLIENT_ERROR")
        self.client_id = client_id
        try:
            authorization = self.identify(client_id)
            decision = authorization.connect()
        except CertificateNotActive as err:
            self._refuse_connect(str(err))
        if not decision.allowed:
            self._refuse_connect(decision.refusal())
        will = connect.will
        if will is not None and (
            will.qos > 1 or topic_name_problem(will.topic) or len(will.payload) > MAX_PAYLOAD
        ):
            self._refuse_connect("a Will that AWS IoT does not accept", 0x9B)
        self.authorization = authorization
        self.will = will
        self.keep_alive_s = connect.keep_alive * 1.5 if connect.keep_alive else None
        if self.keep_alive_s is None:
            self.keep_alive_s = IDLE_WITHOUT_KEEP_ALIVE_S
        expiry = 0.0 if connect.clean_start else 3600.0
        if v5:
            expiry = float(connect.properties.get("session_expiry_interval", 0) or 0)  # type: ignore[arg-type]
        self.session, present = self.broker.attach(self, connect.clean_start, expiry)
        receive_maximum = connect.properties.get("receive_maximum") if v5 else None
        limit = receive_maximum if isinstance(receive_maximum, int) else MAX_IN_FLIGHT
        self.session.max_in_flight = min(MAX_IN_FLIGHT, limit)
        properties = codec.NO_PROPERTIES
        if v5:
            properties = codec.Properties(
                maximum_qos=1,
                retain_available=1,
                maximum_packet_size=MAX_PACKET,
                topic_alias_maximum=TOPIC_ALIAS_MAXIMUM,
                shared_subscription_available=0,
                subscription_identifier_available=0,
            )
        self.connected = True
        self.send(codec.Connack(present, 0, properties))
        self.broker.connected(self)

    def _refuse_connect(self, why: str, mqtt5_code: int = NOT_AUTHORIZED) -> NoReturn:
        log.info("mqtt %s: connection refused: %s", self.client_id, why)
        if self.level == codec.MQTT_5:
            self.send(codec.Connack(False, mqtt5_code))
        raise Closing("AUTH_ERROR")

    def on_publish(self, publish: codec.Publish) -> None:
        assert self.authorization is not None
        v5 = self.level == codec.MQTT_5
        if publish.qos == 2:
            if v5:
                raise Closing("CLIENT_ERROR", QOS_NOT_SUPPORTED)
            return  # AWS IoT sends no acknowledgment for QoS 2
        topic = self._resolve_alias(publish)
        if topic_name_problem(topic):
            log.info("mqtt %s: %s: %s", self.client_id, topic_name_problem(topic), topic[:300])
            raise Closing("CLIENT_ERROR", TOPIC_NAME_INVALID)
        if len(publish.payload) > MAX_PAYLOAD:
            raise Closing("CLIENT_ERROR", PACKET_TOO_LARGE)
        if publish.retain and topic.startswith("$"):
            log.info("mqtt %s: publish refused: RETAIN on reserved topic %s", self.client_id, topic)
            raise Closing("FORBIDDEN_ACCESS", NOT_AUTHORIZED)
        decision = self.authorization.publish(topic)
        if decision.allowed and publish.retain:
            decision = self.authorization.retain_publish(topic)
        if not decision.allowed:
            log.info("mqtt %s: publish refused: %s", self.client_id, decision.refusal())
            raise Closing("FORBIDDEN_ACCESS", NOT_AUTHORIZED)
        self.broker.published(self, topic, publish.payload, publish.qos, publish.retain)
        if publish.qos == 1 and publish.packet_id is not None:
            self.send(codec.Puback(publish.packet_id))

    def _resolve_alias(self, publish: codec.Publish) -> str:
        alias = publish.properties.get("topic_alias") if self.level == codec.MQTT_5 else None
        if alias is None:
            return publish.topic
        assert isinstance(alias, int)
        if alias > TOPIC_ALIAS_MAXIMUM:
            raise Closing("CLIENT_ERROR", 0x94)
        if publish.topic:
            self.aliases[alias] = publish.topic
            return publish.topic
        if alias not in self.aliases:
            raise Closing("CLIENT_ERROR", PROTOCOL_ERROR)
        return self.aliases[alias]

    def on_subscribe(self, subscribe: codec.Subscribe) -> None:
        assert self.authorization is not None and self.session is not None
        v5 = self.level == codec.MQTT_5
        failure = 0x80
        if not v5 and any(s.qos == 2 for s in subscribe.subscriptions):
            return  # AWS IoT sends no SUBACK when QoS 2 is asked for
        if len(subscribe.subscriptions) > MAX_FILTERS_PER_SUBSCRIBE:
            code = QUOTA_EXCEEDED if v5 else failure
            self.send(codec.Suback(subscribe.packet_id, (code,) * len(subscribe.subscriptions)))
            return
        codes: list[int] = []
        granted: list[tuple[codec.Subscription, bool]] = []
        for subscription in subscribe.subscriptions:
            topic_filter = subscription.topic_filter
            if topic_filter.startswith("$share/"):
                codes.append(SHARED_NOT_SUPPORTED if v5 else failure)
                continue
            if topic_filter_problem(topic_filter):
                codes.append(TOPIC_FILTER_INVALID if v5 else failure)
                continue
            decision = self.authorization.subscribe(topic_filter)
            if not decision.allowed:
                log.info("mqtt %s: subscribe refused: %s", self.client_id, decision.refusal())
                codes.append(NOT_AUTHORIZED if v5 else failure)
                continue
            qos = min(subscription.qos, 1)
            existed = topic_filter in self.session.subscriptions
            self.broker.subscribe(self.session, subscription, qos)
            granted.append((subscription, existed))
            codes.append(qos)
        self.send(codec.Suback(subscribe.packet_id, tuple(codes)))
        for subscription, existed in granted:
            if subscription.retain_handling == 2 or (subscription.retain_handling == 1 and existed):
                continue
            self.broker.send_retained(self.session, subscription.topic_filter)

    def on_unsubscribe(self, unsubscribe: codec.Unsubscribe) -> None:
        assert self.session is not None
        codes = tuple(
            0x00 if self.broker.unsubscribe(self.session, f) else 0x11
            for f in unsubscribe.topic_filters
        )
        if self.level != codec.MQTT_5:
            codes = ()
        self.send(codec.Unsuback(unsubscribe.packet_id, codes))
