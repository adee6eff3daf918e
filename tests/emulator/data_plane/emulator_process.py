"""An emulator process of a test module's own, for tests that must set its MQTT timeouts or push
its endpoint hard (malformed input, thousands of connections) without disturbing the session's
shared emulator: `own_emulator` starts `python -m zaws.emulator.process` with the given options,
makes a certificate allowed everything, and stops the process (SIGTERM) afterwards. Also the raw
clients' helpers these tests share: what a server sent until it closed, decoded as MQTT.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.emulator.data_plane.mqtt_devices import (
    ALLOW_ALL,
    Credentials,
    Endpoint,
    connect,
    policy_document,
    tls_context,
    unique,
)
from zaws.emulator.data_plane import codec
from zaws.emulator.data_plane.endpoint_info import read_info

WAIT_S = 30.0  # generous: thousands of handshakes on a shared 2-core machine


@dataclass
class Emulator:
    endpoint: Endpoint
    iot: Any
    credentials: Credentials  # a registered, ACTIVE certificate allowed everything
    folder: Path

    def client_context(self) -> ssl.SSLContext:
        context: ssl.SSLContext = tls_context(self.endpoint, self.credentials)
        return context

    async def open(
        self, context: ssl.SSLContext | None = None
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.wait_for(
            asyncio.open_connection(
                self.endpoint.host,
                self.endpoint.port,
                ssl=context or self.client_context(),
                server_hostname=self.endpoint.server_name,
            ),
            WAIT_S,
        )

    def served(self) -> None:
        """A paho-mqtt client connects, subscribes, publishes and gets its message back."""
        name = unique("good")
        device = connect(self.endpoint, name, self.credentials)
        try:
            assert device.subscribe(f"good/{name}") == [1]
            device.publish(f"good/{name}", b"still served")
            assert device.message(WAIT_S).payload == b"still served"
        finally:
            device.stop()


def ec_device(iot: Any, folder: Path) -> Credentials:
    """A certificate for an EC P-256 key (from a CSR: its handshakes cost a tenth of RSA's)
    under a policy that allows everything."""
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "faults")]))
        .sign(key, hashes.SHA256())
    )
    made = iot.create_certificate_from_csr(
        certificateSigningRequest=csr.public_bytes(serialization.Encoding.PEM).decode(),
        setAsActive=True,
    )
    cert_file, key_file = folder / "faults.pem", folder / "faults-key.pem"
    cert_file.write_text(made["certificatePem"])
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    policy = unique("allow-all")
    iot.create_policy(policyName=policy, policyDocument=policy_document(ALLOW_ALL))
    iot.attach_policy(policyName=policy, target=made["certificateArn"])
    return Credentials(made["certificateId"], made["certificateArn"], cert_file, key_file)


@contextlib.contextmanager
def own_emulator(root: Path, *options: str, soft_nofile: int | None = None) -> Iterator[Emulator]:
    """An emulator process in `root/emulator` started with `options` (e.g.
    `--mqtt-connect-timeout 1`), its log in `root/emulator.log`; with `soft_nofile`, it starts
    with that soft RLIMIT_NOFILE (inherited from this process, which is restored at once)."""
    folder = root / "emulator"
    folder.mkdir(mode=0o700)
    read_fd, write_fd = os.pipe()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft_nofile is not None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, soft_nofile), hard))
    try:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "zaws.emulator.process",
                "--home",
                str(folder),
                "--ready-fd",
                str(write_fd),
                *options,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=(root / "emulator.log").open("ab"),
            pass_fds=(write_fd,),
        )
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as ready:
            url = ready.readline().decode().strip()  # the process writes it when serving
        assert url, "the emulator did not start (see emulator.log)"
        info = read_info(folder, process.pid)
        assert info is not None and info.ws_port is not None
        endpoint = Endpoint(info.host, info.port, info.ws_port, info.server_name, info.ca_file)
        iot = boto3.client(
            "iot",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        credentials = ec_device(iot, root)
        yield Emulator(endpoint, iot, credentials, folder)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(WAIT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(WAIT_S)


async def until_closed(reader: asyncio.StreamReader) -> bytes:
    """What the server sent until it closed the connection (within WAIT_S, or the test fails)."""
    received = b""
    deadline = time.monotonic() + WAIT_S
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"the server kept the connection open; it sent {received[:40]!r}"
        try:
            chunk = await asyncio.wait_for(reader.read(65536), remaining)
        except (ConnectionError, ssl.SSLError):
            return received
        except TimeoutError:
            continue
        if not chunk:
            return received
        received += chunk


def server_packets(data: bytes) -> list[codec.Packet]:
    """What a server sent, decoded at whichever MQTT level it is well-formed at."""
    errors = []
    for level in (codec.MQTT_311, codec.MQTT_5):
        try:
            reader = codec.PacketReader.of_server(1 << 20, level)
            packets = reader.feed(data)
        except codec.MalformedPacket as err:
            errors.append(err)
            continue
        if reader.buffered == 0:
            return packets
    raise AssertionError(f"the server sent malformed MQTT {data[:60]!r}: {errors}")


def connect_packet(client_id: str, level: int, keep_alive: int = 60) -> bytes:
    return codec.encode(codec.Connect(level, client_id, keep_alive=keep_alive), level)


async def served_raw(emulator: Emulator, client_id: str) -> None:
    """A client of our codec, in the test's own event loop: CONNECT, SUBSCRIBE, PUBLISH at QoS 1,
    and its CONNACK, SUBACK, PUBACK and own message back."""
    reader, writer = await emulator.open()
    topic = f"raw/{client_id}"
    writer.write(connect_packet(client_id, codec.MQTT_311))
    writer.write(codec.encode(codec.Subscribe(1, (codec.Subscription(topic, 1),)), codec.MQTT_311))
    writer.write(codec.encode(codec.Publish(topic, b"ok", 1, packet_id=2), codec.MQTT_311))
    parser = codec.PacketReader.of_server(1 << 16, codec.MQTT_311)
    packets: list[codec.Packet] = []
    while len(packets) < 4:
        data = await asyncio.wait_for(reader.read(65536), WAIT_S)
        assert data, f"closed after {packets}"
        packets.extend(parser.feed(data))
    assert sorted(type(p).__name__ for p in packets) == ["Connack", "Puback", "Publish", "Suback"]
    writer.close()
