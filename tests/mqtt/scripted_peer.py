"""A scripted TLS peer on 127.0.0.1 for the client's transport tests: not a broker.

It records what the client sent in its handshake (SNI, ALPN offered, client certificate, the
CONNECT packet's client id, the WebSocket request) and answers CONNACK, or closes without one.
What MQTT does after CONNACK is tested against the emulator's real endpoint.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zaws.emulator.certificate_authority import CertificateAuthority

SERVER_NAME = "abc123-ats.iot.us-east-1.amazonaws.com"
CONNACK_ACCEPTED = b"\x20\x02\x00\x00"


@dataclass
class Seen:
    server_name: str | None = None
    alpn: str | None = None  # the protocol agreed (the server offers x-amzn-mqtt-ca only)
    client_certificate: bytes | None = None
    client_id: str | None = None
    request_path: str | None = None
    request_headers: dict[str, str] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)


def server_context(
    ca: CertificateAuthority, folder: Path, *, names: tuple[str, ...] = (SERVER_NAME,)
) -> tuple[ssl.SSLContext, Seen]:
    issued = ca.issue_server_certificate(list(names))
    (folder / "server.pem").write_text(issued.certificate_pem + issued.private_key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "server.pem")
    seen = Seen()

    def on_sni(sock: Any, name: str | None, _ctx: Any) -> None:
        seen.server_name = name

    context.sni_callback = on_sni
    return context, seen


def client_id_of(connect: bytes) -> str:
    """The client id of an MQTT 3.1.1 CONNECT (fixed header, 10-byte variable header)."""
    index, shift, remaining = 1, 0, 0
    while True:
        byte = connect[index]
        remaining |= (byte & 0x7F) << shift
        index += 1
        shift += 7
        if not byte & 0x80:
            break
    body = connect[index : index + remaining]
    length = int.from_bytes(body[10:12], "big")
    return body[12 : 12 + length].decode()


@contextmanager
def tls_peer(
    context: ssl.SSLContext,
    seen: Seen,
    *,
    accept: bool = True,
    require_client_cert: bool = True,
    ca_pem: str | None = None,
) -> Iterator[int]:
    """Serve one connection: record it, answer CONNACK (or close at once); yields the port."""
    if require_client_cert:
        assert ca_pem is not None
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cadata=ca_pem)

    context.set_alpn_protocols(["x-amzn-mqtt-ca"])
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    port = listener.getsockname()[1]

    def serve() -> None:
        try:
            raw, _ = listener.accept()
        except OSError:
            seen.done.set()
            return
        try:
            with context.wrap_socket(raw, server_side=True) as conn:
                conn.settimeout(10)
                seen.client_certificate = conn.getpeercert(binary_form=True)
                seen.alpn = conn.selected_alpn_protocol()
                data = conn.recv(4096)
                seen.client_id = client_id_of(data)
                if accept:
                    conn.sendall(CONNACK_ACCEPTED)
                    conn.recv(4096)  # DISCONNECT, or the client closing
        except (OSError, IndexError):
            pass
        finally:
            seen.done.set()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        listener.close()
        thread.join(10)
