"""Quota mode: AWS IoT's default TPS per operation, counted on a clock the test controls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.aws_quotas import AWS_IOT_DEFAULT_TPS
from tests.support.fault_proxy import FaultProxy

ClientFactory = Callable[..., Any]  # the `client` fixture of conftest.py


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _attach(proxied: Any, target: str, calls: int) -> int:
    passed = 0
    for _ in range(calls):
        try:
            proxied.attach_policy(policyName="p", target=target)
            passed += 1
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ThrottlingException"
    return passed


def test_throttles_above_the_rate_and_refills(
    emulator: str, iot: Any, client: ClientFactory
) -> None:
    cert = iot.create_keys_and_certificate(setAsActive=True)["certificateArn"]
    clock = FrozenClock()
    with FaultProxy(emulator, quota="aws-default", clock=clock) as proxy:
        proxied = client("iot", proxy.url)
        assert _attach(proxied, cert, 30) == 15
        clock.now += 0.5
        assert _attach(proxied, cert, 30) == 7
        clock.now += 10  # the bucket holds one second's worth, no more
        assert _attach(proxied, cert, 30) == 15
    assert proxy.stats()["AttachPolicy"] == {"forwarded": 37, "throttled": 53}


def test_under_the_rate_nothing_is_throttled(emulator: str, client: ClientFactory) -> None:
    clock = FrozenClock()
    with FaultProxy(emulator, quota="aws-default", clock=clock) as proxy:
        proxied = client("iot", proxy.url)
        for second in range(3):
            for i in range(10):
                proxied.create_thing(thingName=f"dev_{second}_{i}")
                proxied.describe_thing(thingName=f"dev_{second}_{i}")
                clock.now += 0.1  # 10 CreateThing/s against a quota of 100
        proxied.list_things()  # not limited by the table's name: ListThings is, at 10/s
    assert proxy.total("throttled") == 0
    assert proxy.total("forwarded") == 61


def test_aws_default_table_and_custom_quota(emulator: str, client: ClientFactory) -> None:
    assert AWS_IOT_DEFAULT_TPS["AttachPolicy"] == 15
    assert AWS_IOT_DEFAULT_TPS["CreateKeysAndCertificate"] == 10
    with FaultProxy(emulator, quota={"ListThings": 2}, clock=FrozenClock()) as proxy:
        proxied = client("iot", proxy.url)
        proxied.list_things()
        proxied.list_things()
        with pytest.raises(ClientError, match="ThrottlingException"):
            proxied.list_things()
