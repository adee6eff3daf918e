"""The handshake timeout (issue 11): AWS IoT closes a connection whose TLS handshake never ends.
Against an emulator process of this module's own, started with a short handshake timeout: a TCP
client that never starts TLS and one that stalls in the middle of its handshake (half a
ClientHello) are closed once the timeout has passed, on the mutual TLS port and on the WebSocket
port, where a client that finishes TLS but never sends its upgrade request is closed as well,
while a paho-mqtt client over mutual TLS, and one of our codec, are served meanwhile. (A client
that finishes TLS but never sends CONNECT is closed by the connect timeout: test_endpoint_faults.)

Each stalled client waits for the server's end of the connection (EOF or a reset), timed from its
own connect; nothing here sleeps to synchronise.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import Iterator

import pytest

from tests.emulator.data_plane.emulator_process import (
    WAIT_S,
    Emulator,
    own_emulator,
    served_raw,
)
from tests.emulator.data_plane.mqtt_devices import unique

HANDSHAKE_TIMEOUT_S = 2.0


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    root = tmp_path_factory.mktemp("handshakes")
    with own_emulator(root, "--mqtt-handshake-timeout", str(HANDSHAKE_TIMEOUT_S)) as emulator:
        yield emulator


def client_hello(emulator: Emulator) -> bytes:
    """The ClientHello a real client sends first (made with an in-memory TLS client)."""
    context = emulator.client_context()
    tls = context.wrap_bio(
        ssl.MemoryBIO(), outgoing := ssl.MemoryBIO(), server_hostname=emulator.endpoint.server_name
    )
    with contextlib.suppress(ssl.SSLWantReadError):
        tls.do_handshake()
    hello = outgoing.read()
    assert hello[:1] == b"\x16" and len(hello) > 100, "not a TLS handshake record"
    return hello


async def seconds_until_closed(host: str, port: int, first_bytes: bytes) -> float:
    """Connect over TCP, send `first_bytes` (maybe none) and nothing else, and wait for the server
    to close the connection: the seconds from the connect to its end."""
    reader, writer = await asyncio.open_connection(host, port)
    started = time.monotonic()
    try:
        writer.write(first_bytes)
        await writer.drain()
        received = b""
        while True:
            try:
                chunk = await asyncio.wait_for(reader.read(65536), WAIT_S)
            except ConnectionError:
                break  # a reset is an end too
            if not chunk:
                break
            received += chunk
        assert not received.startswith(b"HTTP/"), f"answered, not timed out: {received[:60]!r}"
        return time.monotonic() - started
    except TimeoutError:
        raise AssertionError(f"the server kept {first_bytes[:8]!r}... open") from None
    finally:
        writer.close()


async def tls_without_upgrade(emulator: Emulator) -> float:
    """Finish the TLS handshake on the WebSocket port and never send the HTTP upgrade request."""
    context = ssl.create_default_context(cafile=emulator.endpoint.ca_file)
    reader, writer = await asyncio.open_connection(
        emulator.endpoint.host,
        emulator.endpoint.ws_port,
        ssl=context,
        server_hostname=emulator.endpoint.server_name,
    )
    started = time.monotonic()
    try:
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            assert await asyncio.wait_for(reader.read(65536), WAIT_S) == b""
        return time.monotonic() - started
    finally:
        writer.close()


def test_clients_that_never_finish_their_handshake_are_closed_after_the_timeout(
    emulator: Emulator,
) -> None:
    host, port, ws_port = emulator.endpoint.host, emulator.endpoint.port, emulator.endpoint.ws_port
    half_hello = client_hello(emulator)[:60]

    async def scenario() -> list[float]:
        stalled = [
            asyncio.ensure_future(seconds_until_closed(host, port, b"")),  # never starts TLS
            asyncio.ensure_future(seconds_until_closed(host, port, half_hello)),
            asyncio.ensure_future(seconds_until_closed(host, ws_port, b"")),
            asyncio.ensure_future(seconds_until_closed(host, ws_port, half_hello)),
            asyncio.ensure_future(tls_without_upgrade(emulator)),
        ]
        await served_raw(emulator, unique("meanwhile"))  # served while they stall
        await asyncio.to_thread(emulator.served)  # paho over mutual TLS
        return list(await asyncio.gather(*stalled))

    seconds = asyncio.run(scenario())
    for took in seconds:
        assert HANDSHAKE_TIMEOUT_S * 0.8 <= took < HANDSHAKE_TIMEOUT_S + 5, seconds
    emulator.served()  # and after


def test_a_handshake_within_the_timeout_is_served(emulator: Emulator) -> None:
    """The timeout ends a stalled handshake, not a connection: a client that connects, waits
    past the timeout after its handshake (CONNECT has its own, longer timeout) is still served."""

    async def scenario() -> None:
        reader, writer = await emulator.open()
        try:
            with contextlib.suppress(TimeoutError):
                data = await asyncio.wait_for(reader.read(1), HANDSHAKE_TIMEOUT_S * 1.5)
                raise AssertionError(f"closed or answered before CONNECT: {data!r}")
        finally:
            writer.close()

    asyncio.run(scenario())
    emulator.served()
