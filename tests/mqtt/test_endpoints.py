"""Endpoint resolution: AWS IoT with Amazon Root CA 1, the emulator from its status, errors."""

from __future__ import annotations

import hashlib
import ssl
from pathlib import Path

import pytest

from tests.mqtt.emulator_endpoint import require_mqtt_endpoint
from zaws.errors import ProjectError
from zaws.mqtt.endpoints import (
    MqttEndpointMissing,
    amazon_root_ca_1,
    aws_endpoint,
    endpoint_for_project,
)

# Amazon Root CA 1's SHA-256 fingerprint, as https://www.amazontrust.com/repository/ lists it.
AMAZON_ROOT_CA_1_SHA256 = "8ecde6884f3d87b1125ba31ac3fcb13d7016de7f57cc904fe1cb97c6ae98196e"
ENDPOINT = "a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com"


def test_amazon_root_ca_1_is_found() -> None:
    pem = amazon_root_ca_1()
    assert hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest() == AMAZON_ROOT_CA_1_SHA256


def test_aws_endpoint_is_443_with_alpn_and_amazons_root() -> None:
    endpoint = aws_endpoint(ENDPOINT)
    assert (endpoint.host, endpoint.port, endpoint.ws_port) == (ENDPOINT, 443, 443)
    assert endpoint.server_name == ENDPOINT and endpoint.alpn and not endpoint.local
    assert endpoint.ca_pem == amazon_root_ca_1()
    assert "AWS IoT" in endpoint.describe()


def test_aws_endpoint_on_8883_sends_no_alpn_and_urls_are_reduced_to_the_host() -> None:
    assert not aws_endpoint(ENDPOINT, port=8883).alpn
    assert aws_endpoint(f"https://{ENDPOINT}:443/").host == ENDPOINT


def test_real_mode_takes_thing_conf_jsons_endpoint(tmp_path: Path) -> None:
    endpoint = endpoint_for_project({"endpoint": ENDPOINT}, local=False, home=tmp_path)
    assert endpoint.server_name == ENDPOINT


def test_real_mode_without_an_endpoint_says_where_to_set_it(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no endpoint") as raised:
        endpoint_for_project({"endpoint": ""}, local=False, home=tmp_path)
    assert "describe-endpoint" in (raised.value.hint or "")
    with pytest.raises(MqttEndpointMissing):
        aws_endpoint("  ")


def test_local_mode_takes_the_emulators_endpoint(emulator_url: str, zaws_home: Path) -> None:
    require_mqtt_endpoint(zaws_home)
    endpoint = endpoint_for_project({"endpoint": ENDPOINT}, local=True, home=zaws_home)
    assert endpoint.local and endpoint.host == "127.0.0.1"
    assert endpoint.server_name.endswith(".amazonaws.com")
    assert "BEGIN CERTIFICATE" in endpoint.ca_pem
