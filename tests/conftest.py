"""Fixtures shared by the tests: one zaws emulator per test process, an empty account per test.

The emulator is the real one (`zaws.emulator.control`, moto's server in its own process on
127.0.0.1), reached over HTTP by real boto3 clients; nothing in boto3 is patched. Each test gets
an empty account through moto's reset endpoint, and projects in its own tmp_path.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from zaws.aws.settings import LOCAL_REGION, AwsSettings
from zaws.emulator import control

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def zaws_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("zaws-home")
    yield home
    control.stop(home)


@pytest.fixture(scope="session")
def emulator_url(zaws_home: Path) -> str:
    return control.start(zaws_home).url or ""


@pytest.fixture
def aws(emulator_url: str, zaws_home: Path) -> AwsSettings:
    """Local-mode settings on an emptied emulator."""
    request = urllib.request.Request(f"{emulator_url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30):
        pass
    return AwsSettings(local=True, home=zaws_home)


@pytest.fixture
def boto(emulator_url: str) -> Any:
    """`boto(service)`: a plain boto3 client on the emulator, to look at what zaws did."""

    def make(service: str, region: str = LOCAL_REGION) -> Any:
        return boto3.client(
            service,
            endpoint_url=emulator_url,
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    return make


@pytest.fixture
def policy(aws: AwsSettings) -> str:
    from zaws.operations.create_policy import create_policy

    return create_policy("device-policy", aws=aws).name


@pytest.fixture
def project(tmp_path: Path, aws: AwsSettings, policy: str) -> Path:
    """A fresh project from the template, with the policy set."""
    from zaws.operations.create_project import create_project

    made = create_project(
        "device", tmp_path, endpoint="abc-ats.iot.us-east-1.amazonaws.com", policy_name=policy
    )
    return Path(made.path)


@pytest.fixture
def run_zaws(zaws_home: Path, emulator_url: str) -> Any:
    """Run the real `zaws` command line in local mode; returns the CompletedProcess."""

    def run(
        *args: str, input: str | None = None, env: dict[str, str] | None = None, local: bool = True
    ) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "ZAWS_HOME": str(zaws_home), **(env or {})}
        environment.pop("ZAWS_LOCAL", None)
        if local:
            environment["ZAWS_LOCAL"] = "1"
        return subprocess.run(
            [sys.executable, "-m", "zaws.cli", *args],
            capture_output=True,
            text=True,
            input=input,
            env=environment,
            timeout=300,
        )

    return run
