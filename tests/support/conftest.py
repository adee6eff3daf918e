"""Fixtures for the fault proxy's own tests: a moto server in this process, fake-credential clients.

The emulator fixture of the operations' tests lives elsewhere; these tests only need an upstream
that speaks AWS, and start it in-process (`ThreadedMotoServer`) because the proxy, not the
throughput, is under test. Each test gets an empty account (`/moto-api/reset`).
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}],
    }
)

ClientFactory = Callable[..., Any]


@pytest.fixture(scope="session")
def moto_server_url() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def emulator(moto_server_url: str) -> str:
    """The emulator's URL, with an empty account."""
    request = urllib.request.Request(f"{moto_server_url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass
    return moto_server_url


@pytest.fixture
def client() -> ClientFactory:
    """`client(service, url)`: a boto3 client with fake credentials and retries off."""

    def make(service: str, url: str, **config: Any) -> Any:
        settings = {"retries": {"mode": "standard", "total_max_attempts": 1}, "read_timeout": 10}
        settings.update(config)
        return boto3.client(
            service,
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(connect_timeout=5, **settings),
        )

    return make


@pytest.fixture
def iot(emulator: str, client: ClientFactory) -> Any:
    """An IoT client talking to the emulator directly (to set up and to check the real state)."""
    direct = client("iot", emulator)
    direct.create_policy(policyName="p", policyDocument=POLICY)
    return direct
