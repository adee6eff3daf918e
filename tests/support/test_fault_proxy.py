"""The fault proxy forwards faithfully and injects each fault as boto3 would see it from AWS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError, HTTPClientError

from tests.support.fault_proxy import FaultProxy

ClientFactory = Callable[..., Any]  # the `client` fixture of conftest.py


def _exists(iot: Any, name: str) -> bool:
    return any(t["thingName"] == name for t in iot.list_things()["things"])


def test_forwards_iot_and_s3_unchanged(emulator: str, iot: Any, client: ClientFactory) -> None:
    with FaultProxy(emulator) as proxy:
        proxied = client("iot", proxy.url)
        proxied.create_thing(thingName="dev_0")
        cert = proxied.create_keys_and_certificate(setAsActive=True)
        proxied.attach_policy(policyName="p", target=cert["certificateArn"])
        proxied.attach_thing_principal(thingName="dev_0", principal=cert["certificateArn"])
        assert proxied.list_thing_principals(thingName="dev_0")["principals"] == [
            cert["certificateArn"]
        ]
        s3 = client("s3", proxy.url, s3={"addressing_style": "path"})
        s3.create_bucket(Bucket="firmware")
        s3.put_object(Bucket="firmware", Key="dev/fw.bin", Body=b"\x00\x01" * 70_000)
        assert s3.head_object(Bucket="firmware", Key="dev/fw.bin")["ContentLength"] == 140_000
        assert s3.get_object(Bucket="firmware", Key="dev/fw.bin")["Body"].read()[:4] == b"\0\1\0\1"
    assert iot.describe_certificate(certificateId=cert["certificateId"])
    stats = proxy.stats()
    for operation in ("CreateThing", "CreateKeysAndCertificate", "AttachPolicy", "PutObject"):
        assert stats[operation] == {"forwarded": 1}


@pytest.mark.parametrize(
    ("rates", "code", "status"),
    [
        ({"throttle_rate": 1.0}, "ThrottlingException", 400),
        ({"error_rate": 1.0}, "InternalFailure", 500),
    ],
)
def test_error_answers_parse_as_aws_errors(
    emulator: str, iot: Any, client: ClientFactory, rates: dict[str, float], code: str, status: int
) -> None:
    with FaultProxy(emulator, **rates) as proxy, pytest.raises(ClientError) as raised:
        client("iot", proxy.url).create_thing(thingName="dev_0")
    assert raised.value.response["Error"]["Code"] == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert not _exists(iot, "dev_0")


@pytest.mark.parametrize(
    ("rate", "reaches_upstream"), [("drop_before_rate", False), ("drop_after_rate", True)]
)
def test_dropped_connections(
    emulator: str, iot: Any, client: ClientFactory, rate: str, reaches_upstream: bool
) -> None:
    with FaultProxy(emulator, **{rate: 1.0}) as proxy, pytest.raises(HTTPClientError):
        client("iot", proxy.url).create_thing(thingName="dev_0")
    assert _exists(iot, "dev_0") is reaches_upstream
    assert proxy.count("CreateThing", "forwarded") == int(reaches_upstream)


def test_faults_limited_to_named_operations(emulator: str, iot: Any, client: ClientFactory) -> None:
    with FaultProxy(emulator, throttle_rate=1.0, operations={"AttachPolicy"}) as proxy:
        proxied = client("iot", proxy.url)
        cert = proxied.create_keys_and_certificate(setAsActive=True)
        with pytest.raises(ClientError, match="ThrottlingException"):
            proxied.attach_policy(policyName="p", target=cert["certificateArn"])
    assert proxy.stats() == {
        "CreateKeysAndCertificate": {"forwarded": 1},
        "AttachPolicy": {"throttled": 1},
    }


def _outcomes(url: str, client: ClientFactory, calls: int) -> list[str]:
    proxied = client("iot", url)
    seen = []
    for _ in range(calls):
        try:
            proxied.list_things()
            seen.append("ok")
        except ClientError as error:
            seen.append(error.response["Error"]["Code"])
        except HTTPClientError:
            seen.append("dropped")
    return seen


def test_mixed_faults_at_configured_rates_and_seeded(emulator: str, client: ClientFactory) -> None:
    rates = {
        "throttle_rate": 0.2,
        "error_rate": 0.1,
        "drop_before_rate": 0.1,
        "drop_after_rate": 0.1,
    }
    with FaultProxy(emulator, seed=7, **rates) as again:
        replay = _outcomes(again.url, client, 60)
    with FaultProxy(emulator, seed=7, **rates) as proxy:
        seen = _outcomes(proxy.url, client, 300)
    assert seen[:60] == replay
    assert proxy.total("forwarded") == seen.count("ok") + proxy.total("dropped_after")
    # 300 draws: each count within ~4 standard deviations of its expectation.
    assert 35 <= seen.count("ThrottlingException") <= 85
    assert 12 <= seen.count("InternalFailure") <= 48
    assert 36 <= seen.count("dropped") <= 96
    assert seen.count("dropped") == proxy.total("dropped_before") + proxy.total("dropped_after")
