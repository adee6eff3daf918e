"""MqttConnection's transport, against a scripted TLS peer on 127.0.0.1 (tests/mqtt/scripted_peer):
the name verified and sent as SNI, ALPN, the thing's certificate and client id, the SigV4-signed
WebSocket request, and a connection closed before CONNACK reported as refused."""

from __future__ import annotations

import contextlib
import ssl
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.mqtt.scripted_peer import (
    CONNACK_ACCEPTED,
    SERVER_NAME,
    client_id_of,
    server_context,
    tls_peer,
)
from tests.mqtt.test_sigv4_websocket import botocore_presigned_url
from zaws.emulator.certificate_authority import CertificateAuthority, load_or_create
from zaws.mqtt.connection import (
    AwsIdentity,
    ConnectionRefused,
    EndpointUnreachable,
    MqttConnection,
    ThingIdentity,
    user_client_id,
)
from zaws.mqtt.endpoints import MqttEndpoint
from zaws.mqtt.sigv4_websocket import SigningCredentials


@pytest.fixture
def ca(tmp_path: Path) -> CertificateAuthority:
    return load_or_create(tmp_path / "ca")


@pytest.fixture
def thing(ca: CertificateAuthority, tmp_path: Path) -> ThingIdentity:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "AWS IoT Certificate")])
    certificate = ca.issue_device_certificate(key.public_key(), subject)
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ThingIdentity("sensor_0", "sensor_0-mqtt", tmp_path / "cert.pem", tmp_path / "key.pem")


def endpoint(ca: CertificateAuthority, port: int, *, ws_port: int = 0) -> MqttEndpoint:
    return MqttEndpoint("127.0.0.1", port, SERVER_NAME, ca.certificate_pem, ws_port, local=True)


def test_a_thing_connects_with_its_certificate_client_id_sni_and_alpn(
    ca: CertificateAuthority, thing: ThingIdentity, tmp_path: Path
) -> None:
    context, seen = server_context(ca, tmp_path)
    with (
        tls_peer(context, seen, ca_pem=ca.certificate_pem) as port,
        MqttConnection(endpoint(ca, port), thing) as connection,
    ):
        connected = connection.connect(timeout=10)
        assert connection.is_connected
    assert seen.done.wait(10)
    assert seen.server_name == SERVER_NAME  # dialled 127.0.0.1, verified the endpoint's name
    assert seen.alpn == "x-amzn-mqtt-ca"
    assert seen.client_id == "sensor_0-mqtt"
    expected = x509.load_pem_x509_certificate(thing.certificate_file.read_bytes())
    assert seen.client_certificate == expected.public_bytes(serialization.Encoding.DER)
    assert connected.client_id == "sensor_0-mqtt"
    assert "thing sensor_0" in connected.identity


def test_no_alpn_on_8883_as_aws_wants(
    ca: CertificateAuthority, thing: ThingIdentity, tmp_path: Path
) -> None:
    context, seen = server_context(ca, tmp_path)
    with tls_peer(context, seen, ca_pem=ca.certificate_pem) as port:
        plain = MqttEndpoint("127.0.0.1", port, SERVER_NAME, ca.certificate_pem, 0, alpn=False)
        with MqttConnection(plain, thing) as connection:
            connection.connect(timeout=10)
    assert seen.done.wait(10)
    assert seen.alpn is None


def test_a_connection_closed_before_connack_is_refused(
    ca: CertificateAuthority, thing: ThingIdentity, tmp_path: Path
) -> None:
    context, seen = server_context(ca, tmp_path)
    with tls_peer(context, seen, accept=False, ca_pem=ca.certificate_pem) as port:
        connection = MqttConnection(endpoint(ca, port), thing)
        with pytest.raises(ConnectionRefused) as refused:
            connection.connect(timeout=10)
        connection.close()
    assert refused.value.disconnection is not None
    assert refused.value.disconnection.before_connack
    assert "refused the connection of thing sensor_0" in refused.value.message


def test_a_server_certificate_for_another_name_is_not_trusted(
    ca: CertificateAuthority, thing: ThingIdentity, tmp_path: Path
) -> None:
    context, seen = server_context(ca, tmp_path, names=("other.example.com",))
    with tls_peer(context, seen, ca_pem=ca.certificate_pem) as port:
        connection = MqttConnection(endpoint(ca, port), thing)
        with pytest.raises(EndpointUnreachable, match="not trusted"):
            connection.connect(timeout=10)
        connection.close()


def test_a_server_of_another_root_is_not_trusted(
    thing: ThingIdentity, ca: CertificateAuthority, tmp_path: Path
) -> None:
    other = load_or_create(tmp_path / "other-ca")
    context, seen = server_context(other, tmp_path)
    with tls_peer(context, seen, ca_pem=ca.certificate_pem) as port:
        connection = MqttConnection(endpoint(ca, port), thing)
        with pytest.raises(EndpointUnreachable, match="not trusted"):
            connection.connect(timeout=10)
        connection.close()


def test_the_user_identity_connects_over_a_sigv4_signed_websocket(
    ca: CertificateAuthority, tmp_path: Path
) -> None:
    from websockets.sync.server import ServerConnection, serve

    context, _ = server_context(ca, tmp_path)
    seen: dict[str, object] = {}
    done = threading.Event()

    def handler(websocket: ServerConnection) -> None:
        assert websocket.request is not None
        seen["path"] = websocket.request.path
        seen["host"] = websocket.request.headers["Host"]
        seen["subprotocol"] = websocket.subprotocol
        seen["client_id"] = client_id_of(bytes(websocket.recv(timeout=10)))
        websocket.send(CONNACK_ACCEPTED)
        done.set()
        with contextlib.suppress(Exception):  # the DISCONNECT, or the client closing
            websocket.recv(timeout=10)

    with serve(handler, "127.0.0.1", 0, ssl=context, subprotocols=["mqtt"]) as server:  # type: ignore[list-item]
        ws_port = server.socket.getsockname()[1]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        credentials = SigningCredentials("AKIDEXAMPLE", "secret/key+example", "token/with+chars=")
        identity = AwsIdentity(user_client_id(), "us-east-1", credentials)
        try:
            with MqttConnection(endpoint(ca, 0, ws_port=ws_port), identity) as connection:
                connection.connect(timeout=10)
                assert done.wait(10)
        finally:
            server.shutdown()
            thread.join(10)

    host = f"{SERVER_NAME}:{ws_port}"
    assert seen["host"] == host
    assert seen["subprotocol"] == "mqtt"
    assert seen["client_id"] == identity.client_id
    path = str(seen["path"])
    query = parse_qs(urlsplit(path).query)
    assert path.endswith("&X-Amz-Security-Token=token%2Fwith%2Bchars%3D")  # after the signature
    # The same request signed by botocore (token left out: AWS IoT does not sign it).
    theirs = botocore_presigned_url(
        host, "us-east-1", "AKIDEXAMPLE", "secret/key+example", query["X-Amz-Date"][0]
    )
    assert query["X-Amz-Signature"] == parse_qs(urlsplit(theirs).query)["X-Amz-Signature"]


def test_user_client_ids_are_their_own() -> None:
    first, second = user_client_id(), user_client_id()
    assert first.startswith("zaws-") and first != second
    assert len(first.encode()) <= 128


def test_tls_context_trusts_only_the_endpoint_root(ca: CertificateAuthority) -> None:
    from zaws.mqtt.connection import tls_context

    context = tls_context(
        endpoint(ca, 1), AwsIdentity("c", "us-east-1", SigningCredentials("a", "b"))
    )
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert len(context.get_ca_certs()) == 1


def test_nothing_listening_is_unreachable_not_refused(
    ca: CertificateAuthority, thing: ThingIdentity
) -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    connection = MqttConnection(endpoint(ca, port), thing)
    with pytest.raises(EndpointUnreachable, match="nothing listens there"):
        connection.connect(timeout=10)
    connection.close()
