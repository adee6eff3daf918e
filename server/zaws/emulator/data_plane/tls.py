"""The MQTT endpoint's TLS: its server certificate, mutual TLS, and which client certificates pass.

AWS IoT takes TLS 1.2 and 1.3, ALPN `x-amzn-mqtt-ca` (port 443) or none (8883), and a client
certificate that it finds in the account: issued by AWS, by a registered CA, or registered without
a CA (matched exactly). Python's `ssl` has no verify callback, so a certificate that chains to
nothing (RegisterCertificateWithoutCA, moto's self-signed-style ones from older emulator state)
must be in the trust store itself: `ClientTrust` adds every such certificate of the backend to the
context's `cadata`, with VERIFY_X509_PARTIAL_CHAIN so that a trusted leaf is a whole chain. It
does so before each handshake when the control plane changed since the last one. Trust here only
gets the handshake through; whether the certificate may connect (registered, ACTIVE) is decided
after it, by `authorization.py`.
"""

from __future__ import annotations

import ssl
import tempfile
from pathlib import Path
from typing import Any

from cryptography import x509

from zaws.emulator.certificate_authority import CertificateAuthority, ServerCertificate
from zaws.emulator.one_at_a_time import control_plane_generation, moto_lock

MQTT_ALPN = "x-amzn-mqtt-ca"


def _load_server_certificate(context: ssl.SSLContext, server: ServerCertificate) -> None:
    with tempfile.TemporaryDirectory(prefix="zaws-mqtt-tls-") as folder:
        cert_file, key_file = Path(folder, "server.pem"), Path(folder, "server-key.pem")
        cert_file.write_text(server.certificate_pem)
        key_file.touch(mode=0o600)
        key_file.write_text(server.private_key_pem)
        context.load_cert_chain(cert_file, key_file)


def server_context(
    server: ServerCertificate, *, client_ca_pem: str | None, alpn: tuple[str, ...]
) -> ssl.SSLContext:
    """A TLS 1.2+ server context; with `client_ca_pem`, a client certificate is required, and
    those that root issued are trusted."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    _load_server_certificate(context, server)
    if alpn:
        context.set_alpn_protocols(list(alpn))
    if client_ca_pem is not None:
        context.verify_mode = ssl.CERT_REQUIRED
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
        context.load_verify_locations(cadata=client_ca_pem)
    return context


class ClientTrust:
    """The client certificates a mutual-TLS context lets through the handshake."""

    def __init__(self, context: ssl.SSLContext, authority: CertificateAuthority, backend: Any):
        self.context = context
        self.authority = authority
        self.backend = backend  # a callable returning the moto IoT backend clients belong to
        self._seen: set[str] = set()
        self._generation: int | None = None

    def refresh(self) -> None:
        """Trust the certificates registered since the last refresh that the root did not issue."""
        generation = control_plane_generation()
        if generation == self._generation:
            return
        with moto_lock():
            self._generation = control_plane_generation()
            certificates = self.backend().certificates
            new = [
                (cid, c.certificate_pem) for cid, c in certificates.items() if cid not in self._seen
            ]
        root = self.authority.certificate.subject
        for certificate_id, pem in new:
            self._seen.add(certificate_id)
            try:
                parsed = x509.load_pem_x509_certificate(pem.encode())
            except ValueError:
                continue
            if parsed.issuer == root and self.authority.issued(parsed):
                continue  # chains to the root, already trusted
            try:
                self.context.load_verify_locations(cadata=pem)
            except ssl.SSLError:
                continue
