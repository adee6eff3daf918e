"""MQTT over WebSocket, signed with SigV4, as AWS IoT Core serves IAM identities on `/mqtt`.

The upgrade request's URL must carry a SigV4 query signature by the emulator's own credentials
(`sigv4_query.py`; what the control plane accepts too), else the answer is 403 and no WebSocket.
The subprotocol is `mqtt`; each binary message carries MQTT bytes (a packet may span messages, as
MQTT over WebSocket allows). Such a client is an IAM identity, allowed everything on the emulator
(`AllowEverything`), as the emulator's control plane allows those credentials everything. The TLS
handshake and then the upgrade request must each be done `handshake_timeout_s` after they start,
else the connection is closed (websockets' `open_timeout`, which also bounds the TLS handshake).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from http import HTTPStatus

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from zaws.aws.clients import LOCAL_CREDENTIALS
from zaws.emulator.data_plane.authorization import AllowEverything, Authorization
from zaws.emulator.data_plane.broker import Broker
from zaws.emulator.data_plane.broker_connection import MAX_PACKET, Connection
from zaws.emulator.data_plane.broker_listeners import DEFAULT_HANDSHAKE_TIMEOUT_S
from zaws.emulator.data_plane.sigv4_query import SignatureRefused, verify

log = logging.getLogger("zaws.emulator.mqtt")

SECRETS = {LOCAL_CREDENTIALS["aws_access_key_id"]: LOCAL_CREDENTIALS["aws_secret_access_key"]}
_IDENTITY = "zaws_identity"


class WebSocketLink:
    """Binary WebSocket messages as the `Link` a `Connection` reads and writes, in order."""

    def __init__(self, websocket: ServerConnection) -> None:
        self.websocket = websocket
        address = websocket.remote_address
        self.peer_ip: str | None = address[0] if address else None
        self._outgoing: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._sender = asyncio.ensure_future(self._send_all())

    async def read(self) -> bytes:
        try:
            message = await self.websocket.recv()
        except ConnectionClosed:
            return b""
        return message.encode() if isinstance(message, str) else bytes(message)

    def write(self, data: bytes) -> None:
        self._outgoing.put_nowait(data)

    def close(self) -> None:
        self._outgoing.put_nowait(None)

    async def _send_all(self) -> None:
        try:
            while (data := await self._outgoing.get()) is not None:
                await self.websocket.send(data)
        except ConnectionClosed:
            pass
        finally:
            await self.websocket.close()


def _check_signature(connection: ServerConnection, request: Request) -> Response | None:
    host = request.headers.get("Host", "")
    hosts = [host, host.rsplit(":", 1)[0]] if ":" in host else [host]
    problem = "no host"
    for candidate in hosts:
        try:
            access_key, region = verify(request.path, candidate, SECRETS)
        except SignatureRefused as err:
            problem = str(err)
            continue
        setattr(connection, _IDENTITY, (access_key, region))
        return None
    log.info("mqtt websocket refused: %s", problem)
    return connection.respond(HTTPStatus.FORBIDDEN, f"Forbidden: {problem}\n")


async def serve_websocket(
    broker: Broker,
    host: str,
    port: int,
    context: ssl.SSLContext,
    handshake_timeout_s: float = DEFAULT_HANDSHAKE_TIMEOUT_S,
) -> asyncio.Server:
    async def on_websocket(websocket: ServerConnection) -> None:
        access_key, region = getattr(websocket, _IDENTITY)
        link = WebSocketLink(websocket)
        account = broker.identity.account_id

        def identify(client_id: str) -> Authorization:
            return AllowEverything(access_key, client_id, region, account)

        connection = Connection(broker, link, identify)
        broker.accepted(connection)
        try:
            await connection.run()
        except Exception:
            log.exception("mqtt websocket %s", connection.client_id)
            connection.close("SERVER_INITIATED_DISCONNECT")
        finally:
            broker.gone(connection)

    server = await serve(
        on_websocket,
        host,
        port,
        ssl=context,
        subprotocols=["mqtt"],  # type: ignore[list-item]
        process_request=_check_signature,
        max_size=MAX_PACKET,
        compression=None,
        open_timeout=handshake_timeout_s,
    )
    return server.server
