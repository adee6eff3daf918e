"""The emulator's MQTT endpoint: the broker on 127.0.0.1, and where clients find it.

Started and stopped by the emulator process (`process.py`). It serves AWS IoT's data endpoint for
moto's default account and zaws's local region: its server certificate, issued by the emulator's
root CA, names the host `describe_endpoint(endpointType="iot:Data-ATS")` answers
(`data_endpoint_host`), "localhost" and 127.0.0.1, so a client connecting to 127.0.0.1 with that
server name and trusting `root-ca.pem` verifies the server as a device verifies AWS. MQTT over
mutual TLS listens on `port`; MQTT over WebSocket (SigV4) on `ws_port`, with the same certificate.
Both close a client whose handshake is not done `handshake_timeout_s` after it connected, and one
that sends no whole CONNECT `connect_timeout_s` after its handshake (the emulator process takes
both as options, so tests can make them short).

Retained messages are kept across restarts in `retained.json` beside the emulator's state.
`mqtt.json` in the emulator's folder says where, for `zaws emulator status` and `zaws mqtt`
(`endpoint_info.py`).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from zaws.emulator import certificate_authority
from zaws.emulator.data_plane.authorization import (
    DEFAULT_ACCOUNT_ID,
    Authorization,
    ConnectionAuthorization,
    iot_backend,
)
from zaws.emulator.data_plane.broker import Broker, BrokerIdentity, ServerStarter
from zaws.emulator.data_plane.broker_listeners import (
    DEFAULT_HANDSHAKE_TIMEOUT_S,
    serve_mutual_tls,
)
from zaws.emulator.data_plane.endpoint_info import EndpointInfo, remove_info, write_info
from zaws.emulator.data_plane.tls import MQTT_ALPN, ClientTrust, server_context

log = logging.getLogger("zaws.emulator.mqtt")

HOST = "127.0.0.1"
RETAINED_FILE = "retained.json"


def data_endpoint_host(account_id: str, region: str) -> str:
    """The host the emulator's describe_endpoint(iot:Data-ATS) answers (see process.py)."""
    stable = hashlib.sha256(f"{account_id}:{region}".encode()).hexdigest()[:14]
    return f"{stable}-ats.iot.{region}.amazonaws.com"


class Endpoint:
    def __init__(
        self,
        folder: Path,
        *,
        region: str,
        account_id: str = DEFAULT_ACCOUNT_ID,
        port: int = 0,
        ws_port: int | None = 0,
        connect_timeout_s: float = 10.0,
        handshake_timeout_s: float = DEFAULT_HANDSHAKE_TIMEOUT_S,
    ) -> None:
        self.folder = folder
        self.region = region
        self.account_id = account_id
        self.port = port
        self.ws_port = ws_port
        self.handshake_timeout_s = handshake_timeout_s
        self.broker = Broker(BrokerIdentity(account_id, region), connect_timeout_s)
        self.info: EndpointInfo | None = None

    def start(self) -> EndpointInfo:
        authority = certificate_authority.load_or_create(self.folder)
        server_name = data_endpoint_host(self.account_id, self.region)
        server = authority.issue_server_certificate([server_name, "localhost", HOST])
        mutual = server_context(server, client_ca_pem=authority.certificate_pem, alpn=(MQTT_ALPN,))
        trust = ClientTrust(mutual, authority, lambda: iot_backend(self.account_id, self.region))
        account_id = self.account_id
        handshake_s = self.handshake_timeout_s

        def identify(der: bytes, client_id: str, region: str, ip: str | None) -> Authorization:
            return ConnectionAuthorization(der, client_id, authority, region, account_id, ip)

        async def tls_listener(broker: Broker) -> Any:
            return await serve_mutual_tls(
                broker, HOST, self.port, mutual, trust, identify, handshake_s
            )

        starters: list[ServerStarter] = [tls_listener]
        if self.ws_port is not None:
            from zaws.emulator.data_plane.broker_websocket import serve_websocket

            plain = server_context(server, client_ca_pem=None, alpn=("http/1.1",))
            ws_port = self.ws_port

            async def ws_listener(broker: Broker) -> Any:
                return await serve_websocket(broker, HOST, ws_port, plain, handshake_s)

            starters.append(ws_listener)
        self.broker.retained.load(self.folder / RETAINED_FILE)
        servers = self.broker.start(starters)
        ports = [s.sockets[0].getsockname()[1] for s in servers]
        self.info = EndpointInfo(
            host=HOST,
            port=ports[0],
            ws_port=ports[1] if len(ports) > 1 else None,
            server_name=server_name,
            ca_file=str(certificate_authority.ca_file(self.folder)),
        )
        write_info(self.folder, self.info)
        return self.info

    def stop(self) -> None:
        """Stop serving; the retained messages are saved for the next start."""
        self.broker.stop()
        remove_info(self.folder)
        if self.info is not None:
            self.broker.retained.save(self.folder / RETAINED_FILE)
