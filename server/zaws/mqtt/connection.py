"""One MQTT connection to AWS IoT Core or the emulator, as a thing or as the user's AWS identity.

Every zaws MQTT client goes through `MqttConnection`: `zaws mqtt`, and the simulated devices.
It wraps paho-mqtt's client (the protocol: packets, keep-alive, QoS 1) with:

- the two identities AWS IoT knows: `ThingIdentity` (the thing's key and certificate, its client
  id, mutual TLS with ALPN `x-amzn-mqtt-ca`) and `AwsIdentity` (MQTT over WebSocket on
  `/mqtt`, the URL signed with SigV4 for `iotdevicegateway`);
- the endpoint's own trust: only its root is trusted, and the server name checked is the
  endpoint's (on the emulator: dial 127.0.0.1, send the data endpoint's name as SNI);
- blocking calls with typed results (`connect`, `subscribe`, `publish`), each bounded by a
  timeout, and events as callbacks (`on_message`, `on_disconnect`) or the `inbox` queue;
  with `stopped` (a simulated device's stop, a watch's cancel) every wait for the broker ends
  within a second of it (WAIT_SLICE_S), as `ConnectionInterrupted`.

paho's network traffic runs on the process's one network thread (`mqtt.network_loop`), never
paho's own reconnecting loop: a connection the broker refused or closed stays closed, and says
why (`disconnection`).
"""

from __future__ import annotations

import getpass
import queue
import re
import secrets
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion
from paho.mqtt.reasoncodes import ReasonCode

from zaws.errors import OperationCancelled, RemoteFailure
from zaws.mqtt.endpoints import ALPN_MQTT_CA, MqttEndpoint
from zaws.mqtt.messages import (
    Connected,
    Disconnection,
    MqttMessage,
    Published,
    SubscriptionOutcome,
)
from zaws.mqtt.network_loop import shared_network_loop
from zaws.mqtt.sigv4_websocket import SigningCredentials, host_header, presigned_path

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_KEEPALIVE_S = 60
WAIT_SLICE_S = 1.0  # a wait looks at `stopped` (and a Ctrl-C reaches the main thread) this often
MAX_CLIENT_ID_BYTES = 128


@dataclass(frozen=True)
class ThingIdentity:
    """A thing of the project: mutual TLS with its certificate, its mqttid as client id."""

    thing_name: str
    client_id: str
    certificate_file: Path
    private_key_file: Path

    def describe(self) -> str:
        return f"thing {self.thing_name} (client id {self.client_id})"


@dataclass(frozen=True)
class AwsIdentity:
    """The user's AWS identity: MQTT over WebSocket signed with SigV4, a client id of its own."""

    client_id: str
    region: str
    credentials: SigningCredentials

    def describe(self) -> str:
        return f"your AWS identity (client id {self.client_id}, WebSocket signed with SigV4)"


Identity = ThingIdentity | AwsIdentity
MessageCallback = Callable[[MqttMessage], None]
DisconnectCallback = Callable[[Disconnection], None]


def user_client_id(prefix: str = "zaws") -> str:
    """`zaws-<user>-<random>`: never a device's client id, so watching takes over nothing."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    user = re.sub(r"[^A-Za-z0-9_-]", "_", user)[:40] or "user"
    return f"{prefix}-{user}-{secrets.token_hex(4)}"


class MqttFailure(RemoteFailure):
    """A connection, subscription or publication that did not happen; `disconnection` says why."""

    def __init__(
        self, message: str, hint: str | None = None, disconnection: Disconnection | None = None
    ) -> None:
        super().__init__(message, hint)
        self.disconnection = disconnection


class ConnectionRefused(MqttFailure):
    """The endpoint closed or refused the connection before accepting it (no CONNACK 0)."""

    code = "zaws.mqttConnectionRefused"


class EndpointUnreachable(MqttFailure):
    """No TLS session with the endpoint: a name that does not resolve, nothing listening, a
    timeout, or a server whose certificate is not the endpoint's. Nothing was refused."""

    code = "zaws.mqttUnreachable"


class ServerNotTrusted(EndpointUnreachable):
    """The server's certificate is not the endpoint's, or not from a trusted root: trying
    again will not change it (unlike a timeout or nothing listening)."""


class ConnectionLost(MqttFailure):
    """The broker closed an accepted connection (on AWS: an unauthorized PUBLISH does this)."""

    code = "zaws.mqttConnectionLost"


class MqttTimeout(MqttFailure):
    """No answer from the broker in time."""

    code = "zaws.mqttTimeout"


class ConnectionInterrupted(OperationCancelled):
    """Whoever owns the connection stopped it while it waited for the broker."""


class _ServerNameContext(ssl.SSLContext):
    """An SSLContext that sends `server_name` as SNI and checks it, whatever address is dialled."""

    server_name = ""

    def wrap_socket(self, sock: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["server_hostname"] = self.server_name
        return super().wrap_socket(sock, *args, **kwargs)


def tls_context(
    endpoint: MqttEndpoint, identity: Identity, *, alpn: bool | None = None
) -> ssl.SSLContext:
    """Trust only the endpoint's root, check its server name; a thing presents its certificate."""
    context = _ServerNameContext(ssl.PROTOCOL_TLS_CLIENT)
    context.server_name = endpoint.server_name
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(cadata=endpoint.ca_pem)
    if isinstance(identity, ThingIdentity):
        context.load_cert_chain(identity.certificate_file, identity.private_key_file)
        if endpoint.alpn if alpn is None else alpn:
            context.set_alpn_protocols([ALPN_MQTT_CA])
    return context


class MqttConnection:
    """One connection; use as a context manager, or call `connect()` and `close()`."""

    def __init__(
        self,
        endpoint: MqttEndpoint,
        identity: Identity,
        *,
        on_message: MessageCallback | None = None,
        on_disconnect: DisconnectCallback | None = None,
        protocol: MQTTProtocolVersion = MQTTProtocolVersion.MQTTv311,
        keepalive: int = DEFAULT_KEEPALIVE_S,
        clean_session: bool = True,
        stopped: Callable[[], bool] | None = None,
    ) -> None:
        if len(identity.client_id.encode()) > MAX_CLIENT_ID_BYTES:
            from zaws.errors import InvalidInput

            raise InvalidInput(
                f"The client id {identity.client_id[:40]}... is longer than AWS IoT's 128 bytes"
            )
        self.endpoint = endpoint
        self.identity = identity
        self.protocol = protocol
        self.keepalive = keepalive
        self.inbox: queue.Queue[MqttMessage] = queue.Queue()
        self._on_message = on_message
        self._on_disconnect = on_disconnect
        self._stopped = stopped
        self._changed = threading.Condition()
        self._connack: tuple[bool, str, int] | None = None  # (accepted, reason, code)
        self._session_present = False
        self._subacks: dict[int, list[ReasonCode]] = {}
        self._unsubacks: set[int] = set()
        self._published: set[int] = set()
        self._disconnection: Disconnection | None = None
        self._closing = False
        self._network = shared_network_loop()
        self._client = self._make_client(clean_session)

    # -- the paho client ------------------------------------------------------------------
    def _make_client(self, clean_session: bool) -> paho.Client:
        websocket = isinstance(self.identity, AwsIdentity)
        client = paho.Client(
            CallbackAPIVersion.VERSION2,
            client_id=self.identity.client_id,
            clean_session=clean_session if self.protocol != MQTTProtocolVersion.MQTTv5 else None,
            protocol=self.protocol,
            transport="websockets" if websocket else "tcp",
            reconnect_on_failure=False,
        )
        client.tls_set_context(tls_context(self.endpoint, self.identity))
        client.on_connect = self._connected
        client.on_disconnect = self._disconnected
        client.on_subscribe = self._subscribed
        client.on_unsubscribe = self._unsubscribed
        client.on_publish = self._published_cb
        client.on_message = self._message
        self._network.attach(client, self._loop_failed)
        return client

    @property
    def port(self) -> int:
        websocket = isinstance(self.identity, AwsIdentity)
        return self.endpoint.ws_port if websocket else self.endpoint.port

    def _sign_websocket(self) -> None:
        identity = self.identity
        assert isinstance(identity, AwsIdentity)
        host = host_header(self.endpoint.server_name, self.endpoint.ws_port)
        path = presigned_path(host, identity.region, identity.credentials)

        def headers(default: dict[str, str]) -> dict[str, str]:
            return {**default, "Host": host, "Origin": f"https://{host}"}

        self._client.ws_set_options(path=path, headers=headers)

    # -- requests -------------------------------------------------------------------------
    def connect(self, timeout: float = DEFAULT_TIMEOUT_S) -> Connected:
        """Connect and wait for the CONNACK; ConnectionRefused when there is none or it refuses."""
        self._check_halted("the connection")
        if isinstance(self.identity, AwsIdentity):
            self._sign_websocket()
        self._client.connect_timeout = timeout
        try:
            self._client.connect(self.endpoint.host, self.port, keepalive=self.keepalive)
        except (OSError, ValueError) as err:  # ssl.SSLError is an OSError
            self._record_end(False, _words(err), None)
            if isinstance(err, UNREACHABLE):
                trusted = not isinstance(err, ssl.SSLCertVerificationError)
                raise (EndpointUnreachable if trusted else ServerNotTrusted)(
                    f"Cannot reach {self.endpoint.describe()}: {_words(err)}",
                    "check the endpoint (thing.conf.json's `endpoint` on AWS) and the network",
                    disconnection=self._disconnection,
                ) from None
            raise self._refused(timeout) from None
        self._wait(
            lambda: self._connack is not None or self._disconnection is not None or self._halted(),
            timeout,
        )
        self._check_halted("the CONNACK")
        if self._connack is None or not self._connack[0]:
            raise self._refused(timeout)
        return Connected(
            client_id=self.identity.client_id,
            endpoint=self.endpoint.describe(),
            identity=self.identity.describe(),
            session_present=self._session_present,
        )

    def subscribe(
        self, filters: Sequence[str], qos: int = 1, timeout: float = DEFAULT_TIMEOUT_S
    ) -> list[SubscriptionOutcome]:
        """Subscribe to every filter in one SUBSCRIBE; each outcome says granted or refused."""
        result, mid = self._client.subscribe([(f, qos) for f in filters])
        self._check_queued(result, "subscribing")
        assert mid is not None
        self._wait_for(lambda: mid in self._subacks, timeout, "the SUBACK")
        codes = self._subacks.pop(mid)
        return [
            SubscriptionOutcome(f, None, str(code))
            if code.is_failure
            else SubscriptionOutcome(f, int(code.value))
            for f, code in zip(filters, codes, strict=False)
        ]

    def publish(
        self,
        topic: str,
        payload: bytes,
        *,
        qos: int = 0,
        retain: bool = False,
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> Published:
        """Publish; QoS 1 waits for the PUBACK, QoS 0 for a round trip after it (`round_trip`).

        On AWS an unauthorized PUBLISH closes the connection: that is ConnectionLost here.
        """
        info = self._client.publish(topic, payload, qos=qos, retain=retain)
        self._check_queued(info.rc, f"publishing to {topic}")
        self._wait_for(lambda: info.mid in self._published, timeout, "the PUBACK")
        if qos == 0:
            self.round_trip(topic, timeout)
        return Published(topic, qos, retain, len(payload), acknowledged=True)

    def round_trip(self, topic_filter: str, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        """An UNSUBSCRIBE and its UNSUBACK: the broker has handled everything sent before."""
        result, mid = self._client.unsubscribe(topic_filter)
        self._check_queued(result, "waiting for the broker")
        assert mid is not None
        self._wait_for(lambda: mid in self._unsubacks, timeout, "the UNSUBACK")

    def wait_closed(self, timeout: float | None) -> Disconnection | None:
        """Wait until the connection ends (or `timeout`); how it ended, or None if still open."""
        self._wait(lambda: self._disconnection is not None, timeout)
        return self._disconnection

    @property
    def disconnection(self) -> Disconnection | None:
        return self._disconnection

    @property
    def is_connected(self) -> bool:
        return self._connack is not None and self._connack[0] and self._disconnection is None

    def close(self, timeout: float = 5.0) -> None:
        """Send DISCONNECT, wait for it to be written (`timeout`), and let the socket go."""
        with self._changed:
            self._closing = True
        if self._disconnection is None and self._client.socket() is not None:
            self._client.disconnect()  # the network thread writes it, then paho closes
            if not self._network.on_network_thread:
                self._wait(lambda: self._disconnection is not None, timeout)
        self._network.detach(self._client)
        if self._disconnection is None:
            self._record_end(True, "closed by zaws", None)

    def __enter__(self) -> MqttConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- paho's callbacks, on the network thread --------------------------------------------
    def _loop_failed(self, err: BaseException) -> None:
        self._record_end(self._closing, _words(err), None)

    def _connected(self, _c: Any, _u: Any, flags: Any, reason_code: ReasonCode, _p: Any) -> None:
        with self._changed:
            accepted = not reason_code.is_failure
            self._connack = (accepted, str(reason_code), int(reason_code.value))
            self._session_present = bool(getattr(flags, "session_present", False))
            self._changed.notify_all()

    def _disconnected(
        self, _c: Any, _u: Any, _flags: Any, reason_code: ReasonCode, _p: Any
    ) -> None:
        code = int(reason_code.value)
        words = "the broker closed the connection" if reason_code.is_failure else str(reason_code)
        if self.protocol == MQTTProtocolVersion.MQTTv5 and reason_code.is_failure:
            words = f"the broker closed the connection: {reason_code}"
        self._record_end(self._closing, words, code)

    def _subscribed(
        self, _c: Any, _u: Any, mid: int, reason_codes: list[ReasonCode], _p: Any
    ) -> None:
        with self._changed:
            self._subacks[mid] = list(reason_codes)
            self._changed.notify_all()

    def _unsubscribed(self, _c: Any, _u: Any, mid: int, _codes: Any, _p: Any) -> None:
        with self._changed:
            self._unsubacks.add(mid)
            self._changed.notify_all()

    def _published_cb(self, _c: Any, _u: Any, mid: int, _code: Any, _p: Any) -> None:
        with self._changed:
            self._published.add(mid)
            self._changed.notify_all()

    def _message(self, _c: Any, _u: Any, message: paho.MQTTMessage) -> None:
        received = MqttMessage(
            topic=message.topic,
            payload=bytes(message.payload),
            qos=int(message.qos),
            retain=bool(message.retain),
            received_at=time.time(),
        )
        if self._on_message is not None:
            self._on_message(received)
        else:
            self.inbox.put(received)

    # -- helpers ----------------------------------------------------------------------------
    def _record_end(self, expected: bool, reason: str, code: int | None) -> None:
        with self._changed:
            if self._disconnection is not None:
                return
            before = self._connack is None or not self._connack[0]
            if self._connack is not None and not self._connack[0]:
                reason, code = f"CONNACK refused: {self._connack[1]}", self._connack[2]
            ended = Disconnection(expected, reason, before_connack=before, reason_code=code)
            self._disconnection = ended
            self._changed.notify_all()
        if self._on_disconnect is not None:
            self._on_disconnect(ended)

    def _wait(self, done: Callable[[], bool], timeout: float | None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while not done():
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                # bounded slices: a Ctrl-C in the main thread, or `stopped`, is seen promptly
                slice_s = WAIT_SLICE_S if remaining is None else min(remaining, WAIT_SLICE_S)
                self._changed.wait(slice_s)
        return True

    def _halted(self) -> bool:
        return self._stopped is not None and self._stopped()

    def _check_halted(self, what: str) -> None:
        if self._halted():
            raise ConnectionInterrupted(
                f"Stopped while {self.identity.describe()} waited for {what}"
            )

    def _wait_for(self, done: Callable[[], bool], timeout: float, what: str) -> None:
        finished = self._wait(
            lambda: done() or self._disconnection is not None or self._halted(), timeout
        )
        if done():
            return
        self._check_halted(what)
        if self._disconnection is not None:
            raise ConnectionLost(
                f"{self.endpoint.describe()} closed the connection of "
                f"{self.identity.describe()} ({self._disconnection.reason})",
                disconnection=self._disconnection,
            )
        assert not finished
        raise MqttTimeout(
            f"No answer from {self.endpoint.describe()} in {timeout:g} s (waiting for {what})",
            "check the network, or try again with a longer wait",
        )

    def _check_queued(self, result: MQTTErrorCode, doing: str) -> None:
        if result == MQTTErrorCode.MQTT_ERR_SUCCESS:
            return
        if self._disconnection is not None:
            raise ConnectionLost(
                f"{self.endpoint.describe()} closed the connection of "
                f"{self.identity.describe()} ({self._disconnection.reason})",
                disconnection=self._disconnection,
            )
        raise MqttFailure(f"MQTT refused {doing}: {paho.error_string(result)}")

    def _refused(self, timeout: float) -> ConnectionRefused:
        ended = self._disconnection
        who = self.identity.describe()
        if ended is None:
            return ConnectionRefused(
                f"{self.endpoint.describe()} did not answer the CONNECT of {who} in {timeout:g} s",
                "check the endpoint and the network",
            )
        return ConnectionRefused(
            f"{self.endpoint.describe()} refused the connection of {who}: {ended.reason}",
            disconnection=ended,
        )


# Failures before any TLS session exists: the endpoint was never reached, nothing refused us.
UNREACHABLE = (socket.gaierror, ConnectionRefusedError, TimeoutError, ssl.SSLCertVerificationError)


def _words(err: BaseException) -> str:
    if isinstance(err, socket.gaierror):
        return "its host name does not resolve"
    if isinstance(err, ssl.SSLCertVerificationError):
        return f"the server's certificate is not trusted ({err.verify_message})"
    if isinstance(err, ssl.SSLError):
        return f"TLS failed: {err.reason or err}"
    if isinstance(err, ConnectionRefusedError):
        return "nothing listens there (connection refused)"
    if isinstance(err, TimeoutError):
        return "the connection timed out"
    return str(err) or type(err).__name__
