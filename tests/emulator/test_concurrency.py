"""The emulator answers concurrent requests as it answers them one at a time: no HTTP 500, no
traceback in its log. Plain boto3 clients with retries off, so a failure cannot be hidden."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.emulator.conftest import certificate_pem
from zaws.aws.settings import LOCAL_REGION

THREADS = 8
THINGS_PER_THREAD = 30
POLICY = json.dumps({"Version": "2012-10-17", "Statement": []})


def no_retry_client(url: str) -> Any:
    return boto3.client(
        "iot",
        endpoint_url=url,
        region_name=LOCAL_REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": "standard", "max_attempts": 1}, max_pool_connections=4),
    )


def one_worker(url: str, worker: int) -> list[str]:
    """What failed: a thread's own things and certificates, made, attached, listed, deleted."""
    iot = no_retry_client(url)
    failed: list[str] = []

    def call(method: str, **kwargs: Any) -> Any:
        try:
            return getattr(iot, method)(**kwargs)
        except ClientError as error:
            failed.append(f"{method}: {error.response['Error'].get('Code')}")
            return {}

    made = []
    for i in range(THINGS_PER_THREAD):
        name = f"w{worker}_{i}"
        pem = certificate_pem()
        arn = call("register_certificate_without_ca", certificatePem=pem).get("certificateArn", "")
        call("create_thing", thingName=name, attributePayload={"attributes": {"w": str(worker)}})
        call("attach_policy", policyName="shared", target=arn)
        call("attach_thing_principal", thingName=name, principal=arn)
        call("list_thing_principals", thingName=name)
        call("list_principal_things", principal=arn)
        call("list_attached_policies", target=arn)
        call("list_things", maxResults=50, attributeName="w", attributeValue=str(worker))
        made.append((name, arn))
    for name, arn in made:
        call("detach_policy", policyName="shared", target=arn)
        call("detach_thing_principal", thingName=name, principal=arn)
        call("delete_thing", thingName=name)
        call("delete_certificate", certificateId=arn.rsplit("/", 1)[-1])
    return failed


def test_concurrent_requests_get_the_answers_of_sequential_ones(
    aws: Any, boto: Any, emulator_url: str, zaws_home: Path
) -> None:
    iot = boto("iot")
    iot.create_policy(policyName="shared", policyDocument=POLICY)
    emulator_log = zaws_home / "emulator" / "emulator.log"
    log_start = emulator_log.stat().st_size
    with ThreadPoolExecutor(THREADS) as pool:
        failed = list(pool.map(lambda w: one_worker(emulator_url, w), range(THREADS)))
    with emulator_log.open("rb") as log:
        log.seek(log_start)
        logged = log.read().decode(errors="replace")
    assert [failure for each in failed for failure in each] == []
    assert "Traceback" not in logged
    assert iot.list_things()["things"] == []
    assert iot.list_certificates()["certificates"] == []
    assert iot.list_targets_for_policy(policyName="shared")["targets"] == []
