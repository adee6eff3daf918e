"""Remote things to clean up, made quickly with boto3, for the cleanup benchmarks.

Each thing gets what add-things gives it: an ACTIVE certificate attached to the thing and to the
policy. Several threads, because setting up is not what is measured (the emulator is not
thread-safe; its occasional HTTP 500s are retried by the client).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from bench.local_aws import ensure_policy, iot_client

SETUP_WORKERS = 8


@dataclass(frozen=True)
class RemoteThing:
    name: str
    certificate_arn: str
    certificate_id: str


def provision_fleet(endpoint: str, names: list[str], policy: str) -> list[RemoteThing]:
    iot = iot_client(endpoint, workers=SETUP_WORKERS)
    ensure_policy(iot, policy)

    def one(name: str) -> RemoteThing:
        return provision_thing(iot, name, policy)

    with ThreadPoolExecutor(SETUP_WORKERS) as pool:
        return list(pool.map(one, names))


def provision_thing(iot: Any, name: str, policy: str) -> RemoteThing:
    iot.create_thing(thingName=name)
    cert = iot.create_keys_and_certificate(setAsActive=True)
    iot.attach_policy(policyName=policy, target=cert["certificateArn"])
    iot.attach_thing_principal(thingName=name, principal=cert["certificateArn"])
    return RemoteThing(name, cert["certificateArn"], cert["certificateId"])
