"""Devices for the MQTT endpoint's tests: things, certificates and policies made with plain boto3,
and real paho-mqtt clients over real TLS whose callbacks set events the tests wait on.
"""

from __future__ import annotations

import json
import queue
import ssl
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from zaws.emulator import control

WAIT_S = 10.0
ALLOW_ALL = {"Effect": "Allow", "Action": "iot:*", "Resource": "*"}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def policy_document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    ws_port: int
    server_name: str
    ca_file: str

    @classmethod
    def of(cls, home: Path) -> Endpoint:
        found = control.status(home).mqtt
        assert found is not None, "the emulator reports no MQTT endpoint"
        return cls(
            host=str(found["host"]),
            port=int(str(found["port"])),
            ws_port=int(str(found["ws_port"])),
            server_name=str(found["server_name"]),
            ca_file=str(found["ca_file"]),
        )


@dataclass
class Credentials:
    certificate_id: str
    certificate_arn: str
    cert_file: Path
    key_file: Path


def make_certificate(iot: Any, folder: Path, active: bool = True) -> Credentials:
    made = iot.create_keys_and_certificate(setAsActive=active)
    name = made["certificateId"][:12]
    cert_file, key_file = folder / f"{name}.pem", folder / f"{name}-key.pem"
    cert_file.write_text(made["certificatePem"])
    key_file.write_text(made["keyPair"]["PrivateKey"])
    return Credentials(made["certificateId"], made["certificateArn"], cert_file, key_file)


def make_device(
    iot: Any,
    folder: Path,
    *statements: dict[str, Any],
    thing: bool = True,
    attributes: dict[str, str] | None = None,
) -> tuple[str, Credentials]:
    """A thing (named like its client id) with a certificate and a policy of `statements`."""
    name = unique("dev")
    credentials = make_certificate(iot, folder)
    if thing:
        iot.create_thing(thingName=name, attributePayload={"attributes": attributes or {}})
        iot.attach_thing_principal(thingName=name, principal=credentials.certificate_arn)
    if statements:
        policy = unique("policy")
        iot.create_policy(policyName=policy, policyDocument=policy_document(*statements))
        iot.attach_policy(policyName=policy, target=credentials.certificate_arn)
    return name, credentials


def tls_context(endpoint: Endpoint, credentials: Credentials | None, alpn: bool = True) -> Any:
    context = ssl.create_default_context(cafile=endpoint.ca_file)
    if credentials is not None:
        context.load_cert_chain(credentials.cert_file, credentials.key_file)
    if alpn:
        context.set_alpn_protocols(["x-amzn-mqtt-ca"])
    return context


@dataclass
class Device:
    """A paho client and what happened to it, as events and queues."""

    client: mqtt.Client
    connected: threading.Event = field(default_factory=threading.Event)
    disconnected: threading.Event = field(default_factory=threading.Event)
    connect_codes: list[Any] = field(default_factory=list)
    disconnect_codes: list[Any] = field(default_factory=list)
    messages: queue.Queue[mqtt.MQTTMessage] = field(default_factory=queue.Queue)
    subacks: queue.Queue[list[Any]] = field(default_factory=queue.Queue)
    published: queue.Queue[int] = field(default_factory=queue.Queue)

    def subscribe(self, topic_filter: str, qos: int = 1) -> list[int]:
        self.client.subscribe(topic_filter, qos)
        return [int(code.value) for code in self.subacks.get(timeout=WAIT_S)]

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos, retain)
        if qos == 1:
            self.published.get(timeout=WAIT_S)

    def message(self, timeout: float = WAIT_S) -> mqtt.MQTTMessage:
        return self.messages.get(timeout=timeout)

    def no_message(self, timeout: float = 0.5) -> bool:
        try:
            self.messages.get(timeout=timeout)
        except queue.Empty:
            return True
        return False

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def connect(
    endpoint: Endpoint,
    client_id: str,
    credentials: Credentials | None,
    *,
    protocol: int = mqtt.MQTTv311,
    wait: bool = True,
    clean: bool = True,
    keepalive: int = 60,
    alpn: bool = True,
    transport: str = "tcp",
    will: tuple[str, bytes, int] | None = None,
) -> Device:
    kwargs: dict[str, Any] = {"protocol": protocol, "transport": transport}
    if protocol != mqtt.MQTTv5:
        kwargs["clean_session"] = clean
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, **kwargs)
    device = Device(client)
    client.tls_set_context(tls_context(endpoint, credentials, alpn))
    if will is not None:
        client.will_set(*will)
    client.reconnect_delay_set(60, 120)  # a refused device must not reconnect during a test

    def on_connect(_c: Any, _u: Any, _f: Any, code: Any, _p: Any = None) -> None:
        device.connect_codes.append(code)
        if not code.is_failure:
            device.connected.set()

    def on_disconnect(_c: Any, _u: Any, _f: Any, code: Any, _p: Any = None) -> None:
        device.disconnect_codes.append(code)
        device.disconnected.set()

    client.on_connect = on_connect
    client.on_disconnect = on_disconnect
    client.on_message = lambda _c, _u, message: device.messages.put(message)
    client.on_subscribe = lambda _c, _u, _m, codes, _p: device.subacks.put(list(codes))
    client.on_publish = lambda _c, _u, mid, _rc, _p: device.published.put(mid)
    connect_properties = None
    if protocol == mqtt.MQTTv5 and not clean:
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        connect_properties = Properties(PacketTypes.CONNECT)
        connect_properties.SessionExpiryInterval = 600
    client.connect_async(
        endpoint.host,
        endpoint.port,
        keepalive=keepalive,
        clean_start=clean if protocol == mqtt.MQTTv5 else mqtt.MQTT_CLEAN_START_FIRST_ONLY,
        properties=connect_properties,
    )
    client.loop_start()
    if wait:
        assert device.connected.wait(WAIT_S), f"{client_id} did not connect: {device.connect_codes}"
    return device


@pytest.fixture
def endpoint(zaws_home: Path, emulator_url: str) -> Endpoint:
    return Endpoint.of(zaws_home)


@pytest.fixture
def iot(boto: Any) -> Any:
    return boto("iot")


@pytest.fixture
def dial(endpoint: Endpoint) -> Iterator[Callable[..., Device]]:
    """`dial(client_id, credentials, **options)`: a connected (or refused) device, stopped after."""
    started: list[Device] = []

    def start(client_id: str, credentials: Credentials | None, **options: Any) -> Device:
        device = connect(endpoint, client_id, credentials, **options)
        started.append(device)
        return device

    yield start
    for device in started:
        device.client.loop_stop()
        device.client.disconnect()
