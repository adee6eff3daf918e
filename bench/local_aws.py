"""How the benchmarks reach the emulator: fake credentials, given per client or per child process.

Nothing is exported into this process's environment, so a benchmark can never touch a real account
(the same rule zaws follows in local mode).
"""

from __future__ import annotations

import json
import os
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

REGION = "us-east-1"
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
POLICY_DOCUMENT = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}],
    }
)


def child_environment() -> dict[str, str]:
    """This environment without any AWS_* setting, plus fake credentials and the region."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    return env


def iot_client(endpoint_url: str, *, workers: int = 1) -> Any:
    """An IoT client whose standard retries also absorb the emulator's HTTP 500s."""
    config = Config(
        retries={"mode": "standard", "max_attempts": 10}, max_pool_connections=workers + 2
    )
    return boto3.client(
        "iot", endpoint_url=endpoint_url, region_name=REGION, config=config, **FAKE_CREDENTIALS
    )


def ensure_policy(iot: Any, name: str) -> None:
    try:
        iot.create_policy(policyName=name, policyDocument=POLICY_DOCUMENT)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceAlreadyExistsException":
            raise
