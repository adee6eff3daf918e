"""The certificate's issuer and serial number as policy variables, on a device connected to the
emulator: `iot:Certificate.Issuer.*` names the emulator's root CA that issued the certificate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography import x509

from tests.emulator.data_plane.mqtt_devices import (
    dial,
    endpoint,
    iot,
    make_device,
    policy_document,
    unique,
)

__all__ = ["dial", "endpoint", "iot"]  # fixtures

ARN = "arn:aws:iot:us-east-1:123456789012"
CONNECT_ANY = {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}


def test_issuer_and_serial_number_variables(iot: Any, dial: Any, tmp_path: Path) -> None:
    name, credentials = make_device(iot, tmp_path, CONNECT_ANY)
    by_variables = {
        "Effect": "Allow",
        "Action": "iot:Subscribe",
        "Resource": [
            f"{ARN}:topicfilter/issuer/${{iot:Certificate.Issuer.CommonName}}",
            f"{ARN}:topicfilter/org/${{iot:Certificate.Issuer.Organization}}",
            f"{ARN}:topicfilter/serial/${{iot:Certificate.SerialNumber}}",
        ],
    }
    policy = unique("issuer")
    iot.create_policy(policyName=policy, policyDocument=policy_document(by_variables))
    iot.attach_policy(policyName=policy, target=credentials.certificate_arn)
    serial = x509.load_pem_x509_certificate(credentials.cert_file.read_bytes()).serial_number
    device = dial(name, credentials)
    assert device.subscribe("issuer/zaws emulator root CA") == [1]
    assert device.subscribe("issuer/Amazon RSA 2048 M01") == [0x80]
    assert device.subscribe("org/zaws local AWS emulator") == [1]
    assert device.subscribe("org/Amazon") == [0x80]
    assert device.subscribe(f"serial/{serial}") == [1]
    assert device.subscribe(f"serial/{serial + 1}") == [0x80]
