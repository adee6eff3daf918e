"""The emulator's MQTT endpoint: where it is, its TLS as a device sees it, WebSocket with SigV4,
and bad input that must not disturb anyone else.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import paho.mqtt.client as mqtt
from cryptography import x509

from tests.emulator.data_plane.mqtt_devices import (
    ALLOW_ALL,
    WAIT_S,
    Endpoint,
    connect,
    dial,
    endpoint,
    iot,
    make_device,
    tls_context,
    unique,
)
from zaws.emulator import control
from zaws.emulator.data_plane.endpoint import data_endpoint_host
from zaws.emulator.data_plane.sigv4_query import presign

__all__ = ["dial", "endpoint", "iot"]  # fixtures


def zaws_json(home: Path, *args: str) -> Any:
    env = {**os.environ, "ZAWS_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-m", "zaws.cli", "-J", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_status_reports_the_endpoint(zaws_home: Path, endpoint: Endpoint, iot: Any) -> None:
    reported = zaws_json(zaws_home, "emulator", "status")
    assert reported["running"] is True
    assert reported["mqtt"] == {
        "host": "127.0.0.1",
        "port": endpoint.port,
        "ws_port": endpoint.ws_port,
        "server_name": endpoint.server_name,
        "ca_file": str(zaws_home / "emulator" / "root-ca.pem"),
    }
    described = iot.describe_endpoint(endpointType="iot:Data-ATS")["endpointAddress"]
    assert endpoint.server_name == described == data_endpoint_host("123456789012", "us-east-1")
    assert zaws_json(zaws_home, "emulator", "start")["mqtt"] == reported["mqtt"]
    env = {**os.environ, "ZAWS_HOME": str(zaws_home)}
    plain = subprocess.run(
        [sys.executable, "-m", "zaws.cli", "emulator", "status"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    ).stdout.splitlines()
    assert f"MQTT endpoint 127.0.0.1:{endpoint.port}" in plain[1]
    assert endpoint.server_name in plain[1]
    assert plain[-1] == reported["url"]


def handshake(endpoint: Endpoint, context: ssl.SSLContext, server_name: str) -> ssl.SSLSocket:
    raw = socket.create_connection((endpoint.host, endpoint.port), timeout=WAIT_S)
    return context.wrap_socket(raw, server_hostname=server_name)


def test_the_server_verifies_as_aws_does_with_the_root(
    endpoint: Endpoint, iot: Any, tmp_path: Path
) -> None:
    _, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    with handshake(endpoint, tls_context(endpoint, credentials), endpoint.server_name) as tls:
        assert tls.selected_alpn_protocol() == "x-amzn-mqtt-ca"
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
        der = tls.getpeercert(binary_form=True)
        assert der is not None
        names = x509.load_der_x509_certificate(der).extensions.get_extension_for_class(
            x509.SubjectAlternativeName
        )
        assert endpoint.server_name in names.value.get_values_for_type(x509.DNSName)
    with handshake(endpoint, tls_context(endpoint, credentials, alpn=False), "localhost") as tls:
        assert tls.selected_alpn_protocol() is None
    try:
        handshake(endpoint, tls_context(endpoint, credentials), "other.example.com").close()
        raise AssertionError("a wrong server name verified")
    except ssl.SSLCertVerificationError:
        pass
    untrusting = ssl.create_default_context()  # the system's roots: not the emulator's
    untrusting.load_cert_chain(credentials.cert_file, credentials.key_file)
    try:
        handshake(endpoint, untrusting, endpoint.server_name).close()
        raise AssertionError("the server verified without the emulator's root")
    except ssl.SSLCertVerificationError:
        pass


def test_a_handshake_without_a_client_certificate_fails(endpoint: Endpoint) -> None:
    try:
        with handshake(endpoint, tls_context(endpoint, None), endpoint.server_name) as tls:
            tls.sendall(b"\x10\x00")  # TLS 1.3: the refusal arrives with the first read
            assert tls.recv(10) == b""
    except (ssl.SSLError, ConnectionError):
        pass


def test_a_device_connects_without_alpn(iot: Any, dial: Any, tmp_path: Path) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    device = dial(name, credentials, alpn=False)
    assert device.subscribe(f"n/{name}") == [1]


def connect_bytes(client_id: str, keep_alive: int = 60) -> bytes:
    """A minimal MQTT 3.1.1 CONNECT, written out by hand."""
    name = client_id.encode()
    body = b"\x00\x04MQTT\x04\x02" + keep_alive.to_bytes(2, "big") + len(name).to_bytes(2, "big")
    body += name
    return bytes([0x10, len(body)]) + body


def test_bad_input_closes_only_that_connection(
    endpoint: Endpoint, iot: Any, dial: Any, tmp_path: Path
) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    good = dial(name, credentials)
    assert good.subscribe(f"g/{name}") == [1]
    context = tls_context(endpoint, credentials)
    silent = handshake(endpoint, context, endpoint.server_name)  # never sends CONNECT
    garbage = [b"\xff\xff\xff\xff\xff", b"\x30\x04\x00\x10ab", connect_bytes("x")[:-1] + b"\x00"]
    for data in garbage:
        with handshake(endpoint, context, endpoint.server_name) as bad:
            bad.sendall(data if data[0] != 0x30 else connect_bytes(unique("bad")) + data)
            bad.settimeout(WAIT_S)
            received = b""
            while chunk := bad.recv(100):  # the server closes it
                received += chunk
    good.publish(f"g/{name}", b"still here")
    assert good.message().payload == b"still here"
    silent.close()


def test_keep_alive_is_one_and_a_half_times_the_clients(
    endpoint: Endpoint, iot: Any, tmp_path: Path
) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    with handshake(endpoint, tls_context(endpoint, credentials), endpoint.server_name) as tls:
        tls.sendall(connect_bytes(name, keep_alive=1))
        tls.settimeout(WAIT_S)
        assert tls.recv(4) == b"\x20\x02\x00\x00"  # CONNACK accepted
        started = time.monotonic()
        assert tls.recv(10) == b""  # closed for silence
        assert 1.2 <= time.monotonic() - started < 5


def websocket_client(endpoint: Endpoint, secret: str) -> tuple[mqtt.Client, queue.Queue[Any]]:
    """A paho client over WebSocket, its URL signed with `secret`; its events in a queue."""
    host = f"{endpoint.server_name}:{endpoint.ws_port}"
    path = presign(host, "us-east-1", "testing", secret)
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, client_id=unique("console"), transport="websockets"
    )
    client.ws_set_options(path=path, headers={"Host": host})
    context = ssl.create_default_context(cafile=endpoint.ca_file)
    context.check_hostname = False  # paho dials 127.0.0.1; the name is checked elsewhere
    client.tls_set_context(context)
    events: queue.Queue[Any] = queue.Queue()
    client.on_connect = lambda _c, _u, _f, code, _p: events.put(("connect", code))
    client.on_message = lambda _c, _u, message: events.put(("message", message.payload))
    client.on_subscribe = lambda _c, _u, _m, codes, _p: events.put(("suback", codes))
    client.on_disconnect = lambda _c, _u, _f, code, _p: events.put(("disconnect", code))
    client.on_connect_fail = lambda _c, _u: events.put(("disconnect", None))
    client.reconnect_delay_set(60, 120)
    client.connect_async(endpoint.host, endpoint.ws_port)
    client.loop_start()
    return client, events


def test_mqtt_over_websocket_signed_with_sigv4(endpoint: Endpoint) -> None:
    client, events = websocket_client(endpoint, "testing")
    try:
        kind, code = events.get(timeout=WAIT_S)
        assert (kind, code.is_failure) == ("connect", False)
        client.subscribe("console/+", 1)  # an IAM identity on the emulator may do anything
        assert events.get(timeout=WAIT_S)[0] == "suback"
        client.publish("console/x", b"over websocket", 1)
        assert events.get(timeout=WAIT_S) == ("message", b"over websocket")
    finally:
        client.disconnect()
        client.loop_stop()


def test_a_badly_signed_websocket_is_refused(endpoint: Endpoint) -> None:
    client, events = websocket_client(endpoint, "not the secret")
    try:
        kind, code = events.get(timeout=WAIT_S)
        assert kind == "disconnect" or (kind == "connect" and code.is_failure)
    finally:
        client.loop_stop()


def test_retained_messages_survive_a_restart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    started = control.start(home)
    try:
        iot = boto3.client(
            "iot",
            endpoint_url=started.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
        device = connect(Endpoint.of(home), name, credentials)
        device.publish(f"kept/{name}", b"across restarts", retain=True)
        device.stop()
        control.stop(home)
        control.start(home)
        again = connect(Endpoint.of(home), name, credentials)
        assert again.subscribe(f"kept/{name}") == [1]
        message = again.message()
        assert (message.payload, message.retain) == (b"across restarts", True)
        again.stop()
    finally:
        control.stop(home)


def test_an_endpoint_that_cannot_start_leaves_the_emulator_serving(tmp_path: Path) -> None:
    from zaws.emulator.process import start_mqtt_endpoint

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert start_mqtt_endpoint(tmp_path, port, 0, 10.0) is None  # logged, not raised
    assert not (tmp_path / "mqtt.json").exists()
