"""A FOTA-ready account on the emulator: a bucket, a role and a firmware file (a fixture the
protocol, lsp and rpc tests import into their conftest)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zaws.operations.firmware import sample_firmware

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "iot.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


READ = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::firmware-bucket/*"}
    ],
}


@pytest.fixture
def fota_setup(boto: Any, tmp_path: Path) -> dict[str, str]:
    boto("s3").create_bucket(Bucket="firmware-bucket")
    iam = boto("iam")
    iam.create_role(RoleName="fota-role", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(RoleName="fota-role", PolicyName="read", PolicyDocument=json.dumps(READ))
    firmware = tmp_path / "firmware.json"
    firmware.write_text(json.dumps(sample_firmware(b"\x01\x02new bytecode", bc_idx=1)))
    return {"bucket": "firmware-bucket", "role": "fota-role", "firmware": str(firmware)}
