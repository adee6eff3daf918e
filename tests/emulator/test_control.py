"""`zaws emulator start|stop|status`: one background process, state kept across stop and start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3

from zaws.emulator import control


def zaws(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZAWS_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "zaws.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def clients(url: str) -> tuple[Any, Any, Any]:
    kw = {
        "endpoint_url": url,
        "region_name": "eu-west-1",
        "aws_access_key_id": "t",
        "aws_secret_access_key": "t",
    }
    return boto3.client("iot", **kw), boto3.client("s3", **kw), boto3.client("iam", **kw)


def test_state_survives_stop_then_start(tmp_path: Path) -> None:
    home = tmp_path / "home"
    started = zaws(home, "emulator", "start")
    assert started.returncode == 0, started.stderr
    url = started.stdout.strip().splitlines()[-1]
    assert url.startswith("http://127.0.0.1:")
    assert zaws(home, "emulator", "status").stdout.strip().splitlines()[-1] == url
    try:
        iot, s3, iam = clients(url)
        iot.create_policy(policyName="p", policyDocument="{}")
        iot.create_thing(thingName="t_0")
        cert = iot.create_keys_and_certificate(setAsActive=True)
        iot.attach_policy(policyName="p", target=cert["certificateArn"])
        iot.attach_thing_principal(thingName="t_0", principal=cert["certificateArn"])
        s3.create_bucket(
            Bucket="fw-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        s3.put_object(Bucket="fw-bucket", Key="k", Body=b"bytes")
        iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")
        iot.create_job(
            jobId="j",
            targets=[iot.describe_thing(thingName="t_0")["thingArn"]],
            document=json.dumps({"operation": "fota"}),
        )

        assert zaws(home, "emulator", "stop").returncode == 0
        assert zaws(home, "emulator", "status").returncode == 3
        url2 = zaws(home, "emulator", "start").stdout.strip().splitlines()[-1]

        iot, s3, iam = clients(url2)
        described = iot.describe_certificate(certificateId=cert["certificateId"])
        assert described["certificateDescription"]["status"] == "ACTIVE"
        assert iot.list_thing_principals(thingName="t_0")["principals"] == [cert["certificateArn"]]
        policies = iot.list_attached_policies(target=cert["certificateArn"])["policies"]
        assert [p["policyName"] for p in policies] == ["p"]
        assert s3.get_object(Bucket="fw-bucket", Key="k")["Body"].read() == b"bytes"
        assert iam.get_role(RoleName="r")["Role"]["RoleName"] == "r"
        assert iot.describe_job(jobId="j")["job"]["jobId"] == "j"
    finally:
        control.stop(home)


def test_certificate_ids_are_the_sha256_of_the_der(aws: Any, boto: Any) -> None:
    from zaws.checks.certificates import certificate_id

    made = boto("iot").create_keys_and_certificate(setAsActive=False)
    assert certificate_id(made["certificatePem"].encode()) == made["certificateId"]


def test_endpoint_is_stable_across_calls(aws: Any, boto: Any) -> None:
    iot = boto("iot")
    first = iot.describe_endpoint(endpointType="iot:Data-ATS")["endpointAddress"]
    assert first == iot.describe_endpoint(endpointType="iot:Data-ATS")["endpointAddress"]
    assert first.endswith("-ats.iot.us-east-1.amazonaws.com")


def test_emulator_listens_on_loopback_only(emulator_url: str) -> None:
    assert emulator_url.startswith("http://127.0.0.1:")
