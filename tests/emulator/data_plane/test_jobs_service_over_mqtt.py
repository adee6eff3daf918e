"""The Jobs MQTT API over the emulator's endpoint with paho-mqtt over mutual TLS, a job made with
boto3: the answers come to the requesting device whether or not it subscribed, but only where its
iot:Receive allows (AWS checks it on every delivery); describing an execution that has ended is
rejected with TerminalStateReached, updating it with InvalidStateTransition."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.emulator.data_plane.mqtt_devices import (
    ALLOW_ALL,
    Device,
    dial,
    endpoint,
    iot,
    make_device,
)

__all__ = ["dial", "endpoint", "iot"]  # fixtures
ARN = "arn:aws:iot:us-east-1:123456789012"
CONNECT_ANY = {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}


def jobs_topics(thing: str) -> str:
    return f"$aws/things/{thing}/jobs"


def create_job(iot: Any, thing: str, job_id: str) -> None:
    arn = iot.describe_thing(thingName=thing)["thingArn"]
    iot.create_job(jobId=job_id, targets=[arn], document=json.dumps({"operation": "fota"}))


def request(device: Device, topic: str, body: dict[str, Any]) -> None:
    """Publish a Jobs request at QoS 1 (its PUBACK awaited): the device subscribes to nothing."""
    device.publish(topic, json.dumps(body).encode())


def answer(device: Device) -> tuple[str, Any]:
    message = device.message()
    return message.topic, json.loads(message.payload)


def test_describing_an_ended_execution_is_terminal_state_reached(
    aws: Any, iot: Any, dial: Callable[..., Device], tmp_path: Path
) -> None:
    thing, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    jobs = jobs_topics(thing)
    create_job(iot, thing, "fw-1")
    device = dial(thing, credentials)

    request(device, f"{jobs}/fw-1/get", {"clientToken": "before"})
    topic, body = answer(device)
    assert topic == f"{jobs}/fw-1/get/accepted" and body["execution"]["status"] == "QUEUED"

    request(device, f"{jobs}/fw-1/update", {"status": "SUCCEEDED", "expectedVersion": 1})
    assert answer(device)[0] == f"{jobs}/fw-1/update/accepted"

    request(device, f"{jobs}/fw-1/get", {"clientToken": "after"})
    topic, body = answer(device)
    assert topic == f"{jobs}/fw-1/get/rejected"
    assert body["code"] == "TerminalStateReached" and body["clientToken"] == "after"
    assert "executionState" not in body and isinstance(body["timestamp"], int)

    request(device, f"{jobs}/fw-1/update", {"status": "IN_PROGRESS"})
    topic, body = answer(device)
    assert topic == f"{jobs}/fw-1/update/rejected"
    assert body["code"] == "InvalidStateTransition"
    assert body["executionState"]["status"] == "SUCCEEDED"
    execution = iot.describe_job_execution(jobId="fw-1", thingName=thing)["execution"]
    assert execution["status"] == "SUCCEEDED"  # the control plane still describes it


def test_a_cancelled_job_is_terminal_to_its_device(
    aws: Any, iot: Any, dial: Callable[..., Device], tmp_path: Path
) -> None:
    thing, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    jobs = jobs_topics(thing)
    create_job(iot, thing, "fw-2")
    iot.cancel_job(jobId="fw-2")
    device = dial(thing, credentials)
    request(device, f"{jobs}/fw-2/get", {})
    topic, body = answer(device)
    assert (topic, body["code"]) == (f"{jobs}/fw-2/get/rejected", "TerminalStateReached")


def test_answers_need_receive_on_their_topic(
    aws: Any, iot: Any, dial: Callable[..., Device], tmp_path: Path
) -> None:
    """Allowed to publish every Jobs request but to receive only `jobs/get/*`: the answer to a
    describe is not delivered, the pending list asked for next is (and is the first message)."""
    publish_jobs = {"Effect": "Allow", "Action": "iot:Publish", "Resource": f"{ARN}:topic/$aws/*"}
    thing, credentials = make_device(iot, tmp_path, CONNECT_ANY, publish_jobs)
    jobs = jobs_topics(thing)
    receive_list = {
        "Effect": "Allow",
        "Action": "iot:Receive",
        "Resource": f"{ARN}:topic/{jobs}/get/*",
    }
    policy = f"receive-{thing}"
    iot.create_policy(
        policyName=policy,
        policyDocument=json.dumps({"Version": "2012-10-17", "Statement": [receive_list]}),
    )
    iot.attach_policy(policyName=policy, target=credentials.certificate_arn)
    create_job(iot, thing, "fw-3")
    device = dial(thing, credentials)

    request(device, f"{jobs}/fw-3/get", {"clientToken": "refused"})  # answered, not received
    request(device, f"{jobs}/nope/get", {"clientToken": "refused"})  # rejected, not received
    request(device, f"{jobs}/get", {"clientToken": "allowed"})
    topic, body = answer(device)
    assert topic == f"{jobs}/get/accepted" and body["clientToken"] == "allowed"
    assert [job["jobId"] for job in body["queuedJobs"]] == ["fw-3"]

    iot.detach_policy(policyName=policy, target=credentials.certificate_arn)  # now none at all
    request(device, f"{jobs}/get", {"clientToken": "refused"})
    iot.attach_policy(policyName=policy, target=credentials.certificate_arn)
    request(device, f"{jobs}/get", {"clientToken": "allowed again"})
    assert answer(device)[1]["clientToken"] == "allowed again"


def test_answers_come_with_receive_and_without_a_subscription(
    aws: Any, iot: Any, dial: Callable[..., Device], tmp_path: Path
) -> None:
    thing, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    jobs = jobs_topics(thing)
    create_job(iot, thing, "fw-4")
    device = dial(thing, credentials)
    request(device, f"{jobs}/fw-4/get", {"clientToken": "t"})
    request(device, f"{jobs}/nope/get", {"clientToken": "t"})
    assert answer(device)[0] == f"{jobs}/fw-4/get/accepted"
    assert answer(device)[0] == f"{jobs}/nope/get/rejected"
