"""Bulk registration in the emulator as AWS documents it: a task that reads its input from S3,
provisions each line through the template, is InProgress then Completed with counts, writes
JSON-lines reports behind presigned URLs (a task that fails part-way too), runs one at a time per
account whatever the region, and can be stopped."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import botocore.exceptions
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tests.support.registration_controls import clear_control, set_control
from zaws.aws.settings import AwsSettings
from zaws.emulator.registration_controls import FAIL_AFTER_LINES, HOLD_AFTER_LINES
from zaws.operations.bulk_resources import role_policy
from zaws.operations.fota_setup import trust_policy

BUCKET = "bulk-input"
TEMPLATE = {
    "Parameters": {"ThingName": {"Type": "String"}, "CSR": {"Type": "String"}},
    "Resources": {
        "thing": {
            "Type": "AWS::IoT::Thing",
            "Properties": {
                "ThingName": {"Ref": "ThingName"},
                "AttributePayload": {"batch": "b1"},
            },
        },
        "certificate": {
            "Type": "AWS::IoT::Certificate",
            "Properties": {"CertificateSigningRequest": {"Ref": "CSR"}, "Status": "ACTIVE"},
        },
        "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "bulk-policy"}},
    },
}


def csr_for(key: Any, name: str) -> str:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    request = (
        x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    )
    return request.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture
def account(aws: AwsSettings, boto: Any) -> dict[str, Any]:
    """A policy, the input bucket, and a role AWS IoT may assume that can read it."""
    boto("iot").create_policy(
        policyName="bulk-policy",
        policyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}],
            }
        ),
    )
    boto("s3").create_bucket(Bucket=BUCKET)
    iam = boto("iam")
    role = iam.create_role(RoleName="bulk", AssumeRolePolicyDocument=json.dumps(trust_policy()))
    iam.put_role_policy(
        RoleName="bulk", PolicyName="read", PolicyDocument=json.dumps(role_policy(BUCKET))
    )
    return {"role": role["Role"]["Arn"], "iot": boto("iot"), "s3": boto("s3"), "iam": iam}


def upload(s3: Any, key: str, lines: list[dict[str, str]]) -> None:
    s3.put_object(Bucket=BUCKET, Key=key, Body="".join(json.dumps(x) + "\n" for x in lines))


def start(account: dict[str, Any], key: str, template: object = TEMPLATE) -> str:
    return str(
        account["iot"].start_thing_registration_task(
            templateBody=json.dumps(template),
            inputFileBucket=BUCKET,
            inputFileKey=key,
            roleArn=account["role"],
        )["taskId"]
    )


def wait_until_ended(iot: Any, task_id: str, timeout: float = 120) -> list[dict[str, Any]]:
    """Every answer of DescribeThingRegistrationTask until the task ended (the API is polled)."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen.append(iot.describe_thing_registration_task(taskId=task_id))
        if seen[-1]["status"] in ("Completed", "Cancelled", "Failed"):
            return seen
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} still {seen[-1]['status']} after {timeout} s")


def report_lines(iot: Any, task_id: str, kind: str) -> list[dict[str, Any]]:
    lines = []
    answer = iot.list_thing_registration_task_reports(taskId=task_id, reportType=kind)
    assert answer["reportType"] == kind
    for link in answer["resourceLinks"]:
        assert "X-Amz-Signature=" in link  # presigned, as AWS answers
        with urllib.request.urlopen(link, timeout=30) as got:
            lines += [json.loads(x) for x in got.read().decode().splitlines() if x]
    return lines


def test_a_task_registers_each_line_and_reports_results_and_errors(
    account: dict[str, Any],
) -> None:
    iot = account["iot"]
    keys = {f"b_{i}": ec.generate_private_key(ec.SECP256R1()) for i in range(600)}
    lines = [{"ThingName": name, "CSR": csr_for(key, name)} for name, key in keys.items()]
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    lines.insert(3, {"ThingName": "weak_one", "CSR": csr_for(weak, "weak_one")})
    lines.insert(7, {"ThingName": "garbled", "CSR": "not a CSR"})
    upload(account["s3"], "batch.json", lines)

    task_id = start(account, "batch.json")
    seen = wait_until_ended(iot, task_id)
    assert seen[0]["status"] == "InProgress" and seen[0]["percentageProgress"] < 100
    done = [s["successCount"] + s["failureCount"] for s in seen]
    assert done == sorted(done)  # progress only grows
    final = seen[-1]
    assert (final["status"], final["successCount"], final["failureCount"]) == ("Completed", 600, 2)
    assert final["percentageProgress"] == 100
    assert final["inputFileKey"] == "batch.json" and final["roleArn"] == account["role"]

    errors = report_lines(iot, task_id, "ERRORS")
    assert sorted(e["offset"] for e in errors) == [3, 7]
    assert all(e["errorMessage"] for e in errors)
    results = report_lines(iot, task_id, "RESULTS")
    assert len(results) == 600
    for result in results[:20]:
        name = lines[result["offset"]]["ThingName"]
        cert = x509.load_pem_x509_certificate(result["response"]["CertificatePem"].encode())
        assert cert.public_key() == keys[name].public_key()  # the CSR's own key
        arns = result["response"]["ResourceArns"]
        assert iot.describe_thing(thingName=name)["attributes"] == {"batch": "b1"}
        assert iot.list_thing_principals(thingName=name)["principals"] == [arns["certificate"]]
        cert_id = arns["certificate"].rsplit("/", 1)[1]
        described = iot.describe_certificate(certificateId=cert_id)["certificateDescription"]
        assert described["status"] == "ACTIVE"
        attached = iot.list_attached_policies(target=arns["certificate"])["policies"]
        assert [p["policyName"] for p in attached] == ["bulk-policy"]
    with pytest.raises(botocore.exceptions.ClientError):
        iot.describe_thing(thingName="weak_one")  # a failed line leaves nothing behind


def test_one_task_at_a_time_and_a_stopped_task_is_cancelled(account: dict[str, Any]) -> None:
    iot = account["iot"]
    key = ec.generate_private_key(ec.SECP256R1())  # one key: the CSRs differ by name only
    upload(
        account["s3"],
        "many.json",
        [{"ThingName": f"m_{i}", "CSR": csr_for(key, f"m_{i}")} for i in range(1500)],
    )
    first = start(account, "many.json")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        start(account, "many.json")
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"
    assert "one bulk registration task" in refused.value.response["Error"]["Message"]
    iot.stop_thing_registration_task(taskId=first)
    final = wait_until_ended(iot, first)[-1]
    assert final["status"] == "Cancelled"
    assert final["successCount"] < 1500
    results = report_lines(iot, first, "RESULTS")
    assert len(results) == final["successCount"]  # the reports hold what was done
    assert first in iot.list_thing_registration_tasks(status="Cancelled")["taskIds"]
    second = start(account, "many.json")  # the account is free again
    assert wait_until_ended(iot, second)[-1]["status"] == "Completed"


def test_a_role_that_cannot_read_the_file_fails_the_task(account: dict[str, Any]) -> None:
    iam, iot = account["iam"], account["iot"]
    upload(account["s3"], "one.json", [{"ThingName": "x", "CSR": "y"}])
    iam.delete_role_policy(RoleName="bulk", PolicyName="read")
    final = wait_until_ended(iot, start(account, "one.json"))[-1]
    assert (
        final["status"] == "Failed" and "cannot read s3://bulk-input/one.json" in final["message"]
    )
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        iot.start_thing_registration_task(
            templateBody=json.dumps(TEMPLATE),
            inputFileBucket=BUCKET,
            inputFileKey="one.json",
            roleArn="arn:aws:iam::123456789012:role/nobody",
        )
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"
    with pytest.raises(botocore.exceptions.ClientError) as bad:
        start(account, "one.json", template="not json")
    assert bad.value.response["Error"]["Code"] == "InvalidRequestException"


def test_a_task_that_fails_part_way_has_reported_the_lines_it_did(
    account: dict[str, Any],
) -> None:
    iot = account["iot"]
    key = ec.generate_private_key(ec.SECP256R1())
    lines = [{"ThingName": f"f_{i}", "CSR": csr_for(key, f"f_{i}")} for i in range(8)]
    lines[1]["CSR"] = "not a CSR"
    upload(account["s3"], "fails.json", lines)
    set_control(account["s3"], FAIL_AFTER_LINES, 5)

    final = wait_until_ended(iot, start(account, "fails.json"))[-1]
    assert final["status"] == "Failed" and final["message"]
    assert (final["successCount"], final["failureCount"]) == (4, 1)
    results = report_lines(iot, final["taskId"], "RESULTS")
    assert sorted(r["offset"] for r in results) == [0, 2, 3, 4]
    for result in results:
        arn = result["response"]["ResourceArns"]["certificate"]
        name = lines[result["offset"]]["ThingName"]
        assert iot.list_thing_principals(thingName=name)["principals"] == [arn]
    assert [e["offset"] for e in report_lines(iot, final["taskId"], "ERRORS")] == [1]


def test_one_task_per_account_whatever_the_region(account: dict[str, Any], boto: Any) -> None:
    """AWS runs one bulk registration task per account, not per region."""
    key = ec.generate_private_key(ec.SECP256R1())
    upload(account["s3"], "held.json", [{"ThingName": "h_0", "CSR": csr_for(key, "h_0")}])
    set_control(account["s3"], HOLD_AFTER_LINES, 0)  # it stays InProgress until released
    first = start(account, "held.json")
    elsewhere = boto("iot", "eu-west-1")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        elsewhere.start_thing_registration_task(
            templateBody=json.dumps(TEMPLATE),
            inputFileBucket=BUCKET,
            inputFileKey="held.json",
            roleArn=account["role"],
        )
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"
    assert "one bulk registration task" in refused.value.response["Error"]["Message"]
    held = account["iot"].describe_thing_registration_task(taskId=first)
    assert (held["status"], held["successCount"]) == ("InProgress", 0)
    clear_control(account["s3"], HOLD_AFTER_LINES)
    assert wait_until_ended(account["iot"], first)[-1]["status"] == "Completed"
