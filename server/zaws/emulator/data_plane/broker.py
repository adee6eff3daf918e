"""The MQTT broker: connections by client id, sessions, subscriptions, routing and delivery.

Everything runs on one asyncio loop in a thread of its own (`start`, `stop`), so the broker's state
needs no locks and thousands of idle connections cost a coroutine each, not a thread. Other
threads reach it through `deliver` and `publish` (the `DataPlane` of `services.py`), which hand
the work to the loop. Listeners (`broker_listeners.py`) turn accepted sockets into `Connection`s;
this module decides, for each PUBLISH, who gets it: the subscribers whose filters match, one copy
per client at the highest QoS of its matching subscriptions, each delivery allowed by that
client's iot:Receive, as is each answer a service `deliver`s to one client. A second connection
with a client id takes over (the first gets DISCONNECT 0x8E on MQTT 5, reason DUPLICATE_CLIENTID).
`$aws/...` publishes also go to the reserved-topic service that handles them; with none, they only
reach subscribers (AWS may close a connection for an unsupported reserved topic; the emulator does
not, so a device under test is not cut off for a service the emulator lacks).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass

from zaws.emulator.data_plane import codec
from zaws.emulator.data_plane.authorization import CertificateNotActive
from zaws.emulator.data_plane.broker_connection import SESSION_TAKEN_OVER, Connection
from zaws.emulator.data_plane.retained import RetainedMessages
from zaws.emulator.data_plane.services import ClientInfo, ConnectionListener, ReservedTopicService
from zaws.emulator.data_plane.sessions import Outgoing, Session, SessionStore
from zaws.emulator.data_plane.topic_matching import SubscriptionTree
from zaws.emulator.one_at_a_time import moto_lock

log = logging.getLogger("zaws.emulator.mqtt")

ServerStarter = Callable[["Broker"], Awaitable[asyncio.Server]]


@dataclass(frozen=True)
class BrokerIdentity:
    """The account and region whose IoT state the broker serves."""

    account_id: str
    region: str


class Broker:
    """AWS IoT Core's message broker for one account and region; implements `DataPlane`."""

    def __init__(self, identity: BrokerIdentity, connect_timeout_s: float = 10.0) -> None:
        self.identity = identity
        self.connect_timeout_s = connect_timeout_s
        self.connections: dict[str, Connection] = {}
        self.sessions = SessionStore()
        self.tree = SubscriptionTree()
        self.retained = RetainedMessages()
        self.options: dict[tuple[str, str], codec.Subscription] = {}  # (client id, filter)
        self._services: list[ReservedTopicService] = []
        self._listeners: list[ConnectionListener] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []
        self._links: set[Connection] = set()
        self._housekeeper: Future[None] | None = None

    # ---- life cycle

    def start(self, starters: list[ServerStarter]) -> list[asyncio.Server]:
        """Run the loop in its own thread and start each listener on it."""
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="mqtt-broker", daemon=True)
        self._thread.start()
        try:
            for starter in starters:
                future = asyncio.run_coroutine_threadsafe(_started(starter, self), loop)
                self._servers.append(future.result(timeout=30))
        except BaseException:
            self.stop()
            raise
        self._housekeeper = asyncio.run_coroutine_threadsafe(self._housekeeping(), loop)
        return list(self._servers)

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def shut() -> None:
            if self._housekeeper is not None:
                self._housekeeper.cancel()
            for server in self._servers:
                server.close()
            for connection in list(self._links):
                connection.kick("SERVER_INITIATED_DISCONNECT", 0x8B)

        with_timeout(asyncio.run_coroutine_threadsafe(shut(), loop), 10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        self._loop = self._thread = None

    def in_loop(self, callback: Callable[[], None]) -> None:
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: stopping
            loop.call_soon_threadsafe(callback)

    async def _housekeeping(self) -> None:
        while True:
            await asyncio.sleep(10)
            for session in self.sessions.expire():
                self._drop_subscriptions(session)

    # ---- DataPlane

    def register_service(self, service: ReservedTopicService) -> None:
        self._services.append(service)

    def on_connection_change(self, listener: ConnectionListener) -> None:
        self._listeners.append(listener)

    def deliver(self, client_id: str, topic: str, payload: bytes, qos: int = 0) -> None:
        def now() -> None:
            session = self.sessions.sessions.get(client_id)
            if session is None or client_id not in self.connections:
                return
            if self._may_receive(session, topic):  # as every delivery: AWS checks iot:Receive
                self.send_to(session, Outgoing(topic, bytes(payload), min(qos, 1)))

        self.in_loop(now)

    def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        self.in_loop(lambda: self.route(topic, bytes(payload), min(qos, 1), retain, None))

    # ---- connections

    def accepted(self, connection: Connection) -> None:
        self._links.add(connection)

    def gone(self, connection: Connection) -> None:
        self._links.discard(connection)

    def attach(
        self, connection: Connection, clean_start: bool, expiry_s: float
    ) -> tuple[Session, bool]:
        previous = self.connections.get(connection.client_id)
        if previous is not None:
            previous.kick("DUPLICATE_CLIENTID", SESSION_TAKEN_OVER)
        kept = self.sessions.sessions.get(connection.client_id)
        session, present = self.sessions.open(connection.client_id, clean_start, expiry_s)
        if kept is not None and not present:
            self._drop_subscriptions(kept)  # a clean start forgets the kept session
        session.authorization = connection.authorization
        self.connections[connection.client_id] = connection
        return session, present

    def connected(self, connection: Connection) -> None:
        session = connection.session
        assert session is not None
        resend = list(session.in_flight.items())
        for packet_id, message in resend:
            connection.send(_publish(message, packet_id, dup=True))
        self._flush(session)
        self._tell(connection, True, "")

    def detach(self, connection: Connection, reason: str) -> None:
        if self.connections.get(connection.client_id) is connection:
            del self.connections[connection.client_id]
            session = connection.session
            if session is not None and self.sessions.closed(session):
                self._drop_subscriptions(session)
        will = connection.will
        connection.will = None
        if will is not None and reason not in ("CLIENT_INITIATED_DISCONNECT",):
            self._publish_will(connection, will)
        self._tell(connection, False, reason)

    def _publish_will(self, connection: Connection, will: codec.Will) -> None:
        authorization = connection.authorization
        if authorization is None:
            return
        try:
            allowed = authorization.publish(will.topic).allowed and (
                not will.retain or authorization.retain_publish(will.topic).allowed
            )
        except CertificateNotActive:
            return
        if allowed:
            self.route(will.topic, will.payload, will.qos, will.retain, None)

    def _tell(self, connection: Connection, up: bool, reason: str) -> None:
        if not self._listeners or connection.authorization is None:
            return
        info = self.client_info(connection)
        for listener in self._listeners:
            try:
                with moto_lock():
                    listener(info, up, reason)
            except Exception:
                log.exception("mqtt: a connection listener failed")

    def client_info(self, connection: Connection) -> ClientInfo:
        authorization = connection.authorization
        thing_name = None
        principal = None
        region = self.identity.region
        if authorization is not None:
            region = authorization.region
            principal = authorization.principal
            try:
                thing_name = authorization.thing_name
            except CertificateNotActive:
                thing_name = None
        return ClientInfo(
            client_id=connection.client_id,
            thing_name=thing_name,
            account_id=self.identity.account_id,
            region=region,
            protocol_level=connection.level,
            principal=principal,
            source_ip=connection.link.peer_ip,
        )

    # ---- subscriptions

    def subscribe(self, session: Session, subscription: codec.Subscription, qos: int) -> None:
        session.subscriptions[subscription.topic_filter] = qos
        self.options[(session.client_id, subscription.topic_filter)] = subscription
        self.tree.add(session.client_id, subscription.topic_filter, qos)

    def unsubscribe(self, session: Session, topic_filter: str) -> bool:
        existed = session.subscriptions.pop(topic_filter, None) is not None
        self.options.pop((session.client_id, topic_filter), None)
        self.tree.remove(session.client_id, topic_filter)
        return existed

    def _drop_subscriptions(self, session: Session) -> None:
        for topic_filter in list(session.subscriptions):
            self.unsubscribe(session, topic_filter)

    def send_retained(self, session: Session, topic_filter: str) -> None:
        message = self.retained.for_filter(topic_filter)
        if message is None or not self._may_receive(session, message.topic):
            return
        qos = min(message.qos, session.subscriptions.get(topic_filter, 0))
        self.send_to(session, Outgoing(message.topic, message.payload, qos, retain=True))

    # ---- routing

    def published(
        self, connection: Connection, topic: str, payload: bytes, qos: int, retain: bool
    ) -> None:
        if topic.startswith("$aws/"):
            self._to_service(connection, topic, payload)
        self.route(topic, payload, qos, retain, connection.client_id)

    def _to_service(self, connection: Connection, topic: str, payload: bytes) -> None:
        for service in self._services:
            try:
                if not service.handles(topic):
                    continue
                info = self.client_info(connection)
                with moto_lock():
                    service.on_publish(info, topic, payload)
            except Exception:
                log.exception("mqtt: the service for %s failed", topic)
            return

    def route(self, topic: str, payload: bytes, qos: int, retain: bool, sender: str | None) -> None:
        if retain:
            self.retained.keep(topic, payload, qos)
        best: dict[str, tuple[int, bool]] = {}
        for client_id, topic_filter, granted in self.tree.subscribers(topic):
            options = self.options.get((client_id, topic_filter))
            if options is not None and options.no_local and client_id == sender:
                continue
            keep_retain = bool(options and options.retain_as_published and retain)
            current = best.get(client_id)
            if current is None or granted > current[0]:
                best[client_id] = (granted, keep_retain or bool(current and current[1]))
        for client_id, (granted, keep_retain) in best.items():
            session = self.sessions.sessions.get(client_id)
            if session is None or not self._may_receive(session, topic):
                continue
            self.send_to(session, Outgoing(topic, payload, min(qos, granted), keep_retain))

    def _may_receive(self, session: Session, topic: str) -> bool:
        authorization = session.authorization
        if authorization is None:
            return False
        try:
            return bool(authorization.receive(topic).allowed)
        except CertificateNotActive:
            connection = self.connections.get(session.client_id)
            if connection is not None:
                connection.kick("AUTH_ERROR", 0x87)
            return False

    def send_to(self, session: Session, message: Outgoing) -> None:
        connection = self.connections.get(session.client_id)
        if message.qos == 0:
            if connection is not None:
                connection.send(_publish(message, None))
            return
        if connection is None or not session.has_room() or session.waiting:
            session.queue(message)
            if connection is not None:
                self._flush(session)
            return
        packet_id = session.next_packet_id()
        session.in_flight[packet_id] = message
        connection.send(_publish(message, packet_id))

    def acknowledged(self, connection: Connection, packet_id: int) -> None:
        session = connection.session
        if session is not None and session.in_flight.pop(packet_id, None) is not None:
            self._flush(session)

    def _flush(self, session: Session) -> None:
        connection = self.connections.get(session.client_id)
        while connection is not None and session.waiting and session.has_room():
            message = session.waiting.popleft()
            if message.qos == 0:
                connection.send(_publish(message, None))
                continue
            packet_id = session.next_packet_id()
            session.in_flight[packet_id] = message
            connection.send(_publish(message, packet_id))


def _publish(message: Outgoing, packet_id: int | None, dup: bool = False) -> codec.Publish:
    return codec.Publish(
        message.topic, message.payload, message.qos, message.retain, dup, packet_id
    )


async def _started(starter: ServerStarter, broker: Broker) -> asyncio.Server:
    return await starter(broker)


def with_timeout(future: Future[None], seconds: float) -> None:
    try:
        future.result(timeout=seconds)
    except Exception:  # stopping: whatever failed, go on stopping
        log.exception("mqtt: stopping the broker")
