"""The broker's listening sockets: MQTT over mutual TLS, as devices connect to AWS IoT Core.

Each accepted TCP connection first gets its TLS handshake here, started by hand (`start_tls`) and
not by the server, so that the client certificates registered since the last handshake are
trusted first (`tls.ClientTrust.refresh`). The handshake needs a client certificate; the server
name the client asked for (SNI) picks the region when it is an AWS IoT data endpoint name. The
connection is then a `Connection` over a `StreamLink`, identified by its certificate.

asyncio's TLS protocol gives each connection a zeroed receive buffer of `SSLProtocol.max_size`
(256 KiB: resident from the first byte): with 1000 devices connected that was 254 MB of the
emulator's 330 MB (bench/mqtt_load.py). A Connection reads `READ_SIZE` at a time anyway and a TLS
record is at most ~16 KiB, so the listeners' TLS connections get `READ_SIZE` (the class attribute is
asyncio's only knob: every asyncio TLS connection of the process gets it, and the emulator's
are all the broker's).
"""

from __future__ import annotations

import asyncio
import asyncio.sslproto
import contextlib
import logging
import re
import ssl
from collections.abc import Callable
from typing import Protocol

from zaws.emulator.data_plane.authorization import Authorization
from zaws.emulator.data_plane.broker import Broker
from zaws.emulator.data_plane.broker_connection import Connection

log = logging.getLogger("zaws.emulator.mqtt")

DEFAULT_HANDSHAKE_TIMEOUT_S = 10.0
READ_SIZE = 64 * 1024
_REGION_IN_HOST = re.compile(r"^[a-z0-9]+-ats\.iot\.([a-z0-9-]+)\.amazonaws\.com$")


def smaller_tls_buffers() -> None:
    """Each asyncio TLS connection receives into READ_SIZE bytes instead of 256 KiB."""
    asyncio.sslproto.SSLProtocol.max_size = READ_SIZE


# (certificate DER, client id, region, peer ip) -> the connection's authorization
CertificateIdentify = Callable[[bytes, str, str, str | None], Authorization]


class ClientTrust(Protocol):
    def refresh(self) -> None:
        """Trust the client certificates registered since the last handshake."""
        ...


class StreamLink:
    """A TLS stream as the `Link` a `Connection` reads and writes."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        peer = writer.get_extra_info("peername")
        self.peer_ip: str | None = peer[0] if peer else None

    async def read(self) -> bytes:
        return await self.reader.read(READ_SIZE)

    def write(self, data: bytes) -> None:
        self.writer.write(data)

    def close(self) -> None:
        if not self.writer.is_closing():
            self.writer.close()


def region_of_server_name(server_name: str | None, default: str) -> str:
    """`<prefix>-ats.iot.<region>.amazonaws.com` names its region; anything else is `default`."""
    match = _REGION_IN_HOST.match((server_name or "").lower())
    return match.group(1) if match else default


def remember_server_name(context: ssl.SSLContext) -> None:
    """Keep the SNI name on each SSL object (`ssl_object.zaws_server_name`)."""

    def on_server_name(ssl_object: object, server_name: str | None, _: ssl.SSLContext) -> None:
        with contextlib.suppress(AttributeError):
            setattr(ssl_object, "zaws_server_name", server_name)  # noqa: B010
        return None

    context.sni_callback = on_server_name


async def serve_mutual_tls(
    broker: Broker,
    host: str,
    port: int,
    context: ssl.SSLContext,
    trust: ClientTrust,
    identify: CertificateIdentify,
    handshake_timeout_s: float = DEFAULT_HANDSHAKE_TIMEOUT_S,
) -> asyncio.Server:
    remember_server_name(context)
    smaller_tls_buffers()

    async def on_accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            trust.refresh()
            await writer.start_tls(context, ssl_handshake_timeout=handshake_timeout_s)
        except (OSError, ssl.SSLError, TimeoutError, ConnectionError) as err:
            log.info("mqtt: TLS handshake failed: %r", err)  # some say nothing but their type
            writer.close()
            return
        except Exception:
            log.exception("mqtt: TLS handshake")
            writer.close()
            return
        ssl_object = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        link = StreamLink(reader, writer)
        if not der:
            link.close()
            return
        region = region_of_server_name(
            getattr(ssl_object, "zaws_server_name", None), broker.identity.region
        )

        def identify_client(client_id: str) -> Authorization:
            return identify(der, client_id, region, link.peer_ip)

        connection = Connection(broker, link, identify_client)
        broker.accepted(connection)
        try:
            await connection.run()
        except Exception:
            log.exception("mqtt: connection %s", connection.client_id)
            connection.close("SERVER_INITIATED_DISCONNECT")
        finally:
            broker.gone(connection)

    return await asyncio.start_server(on_accept, host, port, backlog=4096)
