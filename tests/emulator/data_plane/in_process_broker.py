"""A broker in the test's own process, on real TLS sockets, for what the emulator process cannot be
asked cheaply: a short connect timeout, a thousand connections, a thousand malformed streams.

It is the endpoint's broker and listener with the emulator's root CA, but everyone is allowed
everything (`AllowEverything`), so no moto state is involved; authorization is tested end to end
against the emulator process in test_authorization.py.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from zaws.emulator import certificate_authority
from zaws.emulator.data_plane.authorization import AllowEverything, Authorization
from zaws.emulator.data_plane.broker import Broker, BrokerIdentity
from zaws.emulator.data_plane.broker_listeners import serve_mutual_tls
from zaws.emulator.data_plane.tls import MQTT_ALPN, server_context

CONNECT_TIMEOUT_S = 0.5


class TrustAsIs:
    """No registered certificates to add: the clients' certificates come from the root."""

    def refresh(self) -> None:
        return None


@dataclass
class RunningBroker:
    broker: Broker
    port: int
    ca_file: Path
    cert_file: Path
    key_file: Path
    _context: ssl.SSLContext | None = None

    def client_context(self) -> ssl.SSLContext:
        if self._context is None:
            context = ssl.create_default_context(cafile=self.ca_file)
            context.load_cert_chain(self.cert_file, self.key_file)
            context.set_alpn_protocols([MQTT_ALPN])
            self._context = context
        return self._context

    async def open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(
            "127.0.0.1", self.port, ssl=self.client_context(), server_hostname="localhost"
        )


def _client_files(folder: Path, authority: certificate_authority.CertificateAuthority) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "in-process device")])
    certificate = authority.issue_device_certificate(key.public_key(), subject)
    (folder / "device.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "device-key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


@pytest.fixture
def in_process_broker(tmp_path: Path) -> Iterator[RunningBroker]:
    authority = certificate_authority.load_or_create(tmp_path)
    server = authority.issue_server_certificate(["localhost", "127.0.0.1"])
    context = server_context(server, client_ca_pem=authority.certificate_pem, alpn=(MQTT_ALPN,))
    _client_files(tmp_path, authority)
    broker = Broker(BrokerIdentity("123456789012", "us-east-1"), CONNECT_TIMEOUT_S)

    def identify(der: bytes, client_id: str, region: str, ip: str | None) -> Authorization:
        return AllowEverything("test", client_id, region, "123456789012")

    async def listener(broker: Broker) -> asyncio.Server:
        trust = TrustAsIs()
        return await serve_mutual_tls(broker, "127.0.0.1", 0, context, trust, identify)

    servers = broker.start([listener])
    port = servers[0].sockets[0].getsockname()[1]
    try:
        yield RunningBroker(
            broker,
            port,
            certificate_authority.ca_file(tmp_path),
            tmp_path / "device.pem",
            tmp_path / "device-key.pem",
        )
    finally:
        broker.stop()
