"""Where an MQTT client connects and whom it trusts: AWS IoT Core or the emulator's endpoint.

On AWS the account's data endpoint (`<prefix>-ats.iot.<region>.amazonaws.com`, thing.conf.json's
`endpoint`) serves mutual TLS on 443 (ALPN `x-amzn-mqtt-ca`) and 8883 (no ALPN), and MQTT over
WebSocket on 443; its server certificate chains to Amazon Root CA 1, found in the system store or
certifi's bundle. The emulator's endpoint listens on 127.0.0.1 with a server certificate for the
emulator's data endpoint host name, issued by the emulator's own root: a client dials 127.0.0.1,
sends that name as SNI and trusts that root, as a device trusts AWS. `zaws emulator status` reports
it as `mqtt: {host, port, server_name, ca_file, ws_port}`.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zaws.errors import ProjectError, ZawsError

AWS_MQTT_TLS_PORT = 443
AWS_MQTT_PLAIN_TLS_PORT = 8883
ALPN_MQTT_CA = "x-amzn-mqtt-ca"
AMAZON_ROOT_CA_1 = "Amazon Root CA 1"
SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu, Alpine
    "/etc/pki/tls/certs/ca-bundle.crt",  # Fedora, RHEL
    "/etc/ssl/cert.pem",  # macOS, BSDs
)


class MqttEndpointMissing(ZawsError):
    """No MQTT endpoint to connect to: none configured, or the emulator offers none."""

    code = "zaws.mqttEndpoint"


@dataclass(frozen=True)
class MqttEndpoint:
    """One MQTT endpoint: where to dial, which name to verify, which root to trust."""

    host: str  # the address dialled
    port: int  # MQTT over mutual TLS
    server_name: str  # SNI, and the name the server's certificate must carry
    ca_pem: str  # the trusted root(s), PEM
    ws_port: int  # MQTT over WebSocket (TLS)
    local: bool = False
    alpn: bool = True  # send ALPN x-amzn-mqtt-ca (AWS requires it on 443, refuses it nowhere)

    def describe(self) -> str:
        where = "the local emulator" if self.local else "AWS IoT"
        if self.host == self.server_name:
            return f"{where} at {self.host}:{self.port}"
        return f"{where} at {self.server_name} ({self.host}:{self.port})"


def aws_endpoint(data_endpoint: str, *, port: int = AWS_MQTT_TLS_PORT) -> MqttEndpoint:
    """AWS IoT Core's endpoint `data_endpoint` (a host name), trusted through Amazon Root CA 1."""
    host = data_endpoint.strip().removeprefix("https://").removeprefix("mqtts://").rstrip("/")
    host = host.partition("/")[0].partition(":")[0]
    if not host:
        raise MqttEndpointMissing(
            "No AWS IoT endpoint is configured",
            "set `endpoint` in the project's thing.conf.json "
            "(`aws iot describe-endpoint --endpoint-type iot:Data-ATS` prints it)",
        )
    return MqttEndpoint(
        host=host,
        port=port,
        server_name=host,
        ca_pem=amazon_root_ca_1(),
        ws_port=AWS_MQTT_TLS_PORT,
        alpn=port == AWS_MQTT_TLS_PORT,
    )


def emulator_endpoint(home: Path) -> MqttEndpoint:
    """The running emulator's MQTT endpoint (started if needed), from `control.status(home)`."""
    from zaws.emulator import control

    control.ensure_running(home)
    entry = _mqtt_entry(control.status(home))
    if entry is None:
        raise MqttEndpointMissing(
            "The local emulator reports no MQTT endpoint",
            "restart it with `zaws emulator stop` then `zaws emulator start`",
        )
    try:
        ca_file = Path(str(entry["ca_file"]))
        return MqttEndpoint(
            host=str(entry["host"]),
            port=int(entry["port"]),
            server_name=str(entry["server_name"]),
            ca_pem=ca_file.read_text(),
            ws_port=int(entry["ws_port"]),
            local=True,
        )
    except (KeyError, TypeError, ValueError) as err:
        raise MqttEndpointMissing(
            f"The local emulator's MQTT endpoint is incompletely described ({err})",
            "restart it with `zaws emulator stop` then `zaws emulator start`",
        ) from None
    except OSError as err:
        raise MqttEndpointMissing(
            f"The local emulator's root certificate cannot be read: {err}",
            "restart it with `zaws emulator stop` then `zaws emulator start`",
        ) from None


def endpoint_for_project(config: Mapping[str, Any], *, local: bool, home: Path) -> MqttEndpoint:
    """The endpoint a project's devices use: the emulator's locally, thing.conf.json's on AWS."""
    if local:
        return emulator_endpoint(home)
    endpoint = config.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint.strip():
        raise ProjectError(
            "The project's thing.conf.json has no endpoint",
            "set `endpoint` to the account's data endpoint "
            "(`aws iot describe-endpoint --endpoint-type iot:Data-ATS`)",
        )
    return aws_endpoint(endpoint)


def _mqtt_entry(state: object) -> Mapping[str, Any] | None:
    entry = getattr(state, "mqtt", None)
    if entry is None and hasattr(state, "to_dict"):
        entry = state.to_dict().get("mqtt")
    if entry is None:
        return None
    if isinstance(entry, Mapping):
        return entry
    if hasattr(entry, "to_dict"):
        found = entry.to_dict()
        return found if isinstance(found, Mapping) else None
    return vars(entry) if hasattr(entry, "__dict__") else None


def amazon_root_ca_1() -> str:
    """Amazon Root CA 1 (PEM), from the system's trust store or else certifi's bundle."""
    for bundle in _bundles():
        found = _find_root(bundle, AMAZON_ROOT_CA_1)
        if found is not None:
            return found
    raise MqttEndpointMissing(
        "Amazon Root CA 1 is in neither the system's trust store nor certifi's bundle",
        "install the ca-certificates package (or `pip install certifi`)",
    )


def _bundles() -> Iterator[Path]:
    paths = ssl.get_default_verify_paths()
    seen: set[Path] = set()
    candidates = [paths.cafile, *SYSTEM_BUNDLES]
    try:
        import certifi

        candidates.append(certifi.where())
    except ImportError:  # certifi is optional: the system's store usually has the root
        pass
    for candidate in candidates:
        if candidate and (path := Path(candidate)) not in seen and path.is_file():
            seen.add(path)
            yield path
    if paths.capath and Path(paths.capath).is_dir():
        for path in sorted(Path(paths.capath).glob("Amazon_Root_CA_1*.pem")):
            yield path


def _find_root(bundle: Path, common_name: str) -> str | None:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        text = bundle.read_text(errors="replace")
    except OSError:
        return None
    end_marker = "-----END CERTIFICATE-----"
    for block in text.split(end_marker)[:-1]:
        start = block.find("-----BEGIN CERTIFICATE-----")
        if start < 0:
            continue
        pem = block[start:] + end_marker + "\n"
        try:
            certificate = x509.load_pem_x509_certificate(pem.encode())
        except ValueError:
            continue
        names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        organisations = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        if [n.value for n in names] == [common_name] and [o.value for o in organisations] == [
            "Amazon"
        ]:
            return pem
    return None
