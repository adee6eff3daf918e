"""The Zerynth device library's exact sequences (shared/notes/zerynth-device-library.md) against
the emulator's MQTT endpoint with paho-mqtt over mutual TLS: a thing made by `add_things`, a job
made by `start_fota`, the firmware downloaded through the substituted presigned URL, and what the
control plane then shows; the shadow report and the delta the cloud sends back."""

from __future__ import annotations

import hashlib
import json
import ssl
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.emulator.data_plane.mqtt_devices import (
    Credentials,
    Device,
    Endpoint,
    connect,
    endpoint,
)
from tests.support.device_playback import FotaStage, prepare_stage
from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things
from zaws.operations.fota_start import start_fota
from zaws.project.layout import CERTIFICATE, PRIVATE_KEY

TOKEN = "3038313531"  # ''.join(str(b) for b in mcu.uid()): the library's one clientToken
__all__ = ["endpoint"]  # a fixture


@pytest.fixture
def stage(aws: AwsSettings, tmp_path: Path) -> FotaStage:
    return prepare_stage(aws, tmp_path)


@pytest.fixture
def thing(project: Path, aws: AwsSettings) -> tuple[str, Credentials]:
    """A thing of the project, with zaws's own key, certificate and policy."""
    name = add_things(project, aws=aws, base_name="zdev", count=1).things[0]
    folder = project / ".aws_things_resources" / name
    conf = json.loads((folder / "thing.conf.json").read_text())
    assert conf["mqttid"] == name
    return name, Credentials("", "", folder / CERTIFICATE, folder / PRIVATE_KEY)


def answer(device: Device, prefix: str) -> Any:
    """The next message on a topic starting with `prefix`, as the library waits for it."""
    while True:
        message = device.message()
        if message.topic.startswith(prefix):
            return json.loads(message.payload)


def jobs_list(device: Device, jobs: str) -> Any:
    device.subscribe(f"{jobs}/get/accepted", qos=0)
    device.publish(f"{jobs}/get", json.dumps({"clientToken": TOKEN}).encode(), qos=0)
    listed = answer(device, f"{jobs}/get/accepted")
    device.client.unsubscribe(f"{jobs}/get/accepted")
    return listed


def describe(device: Device, jobs: str, job_id: str) -> Any:
    device.subscribe(f"{jobs}/{job_id}/get/accepted", qos=0)
    device.publish(f"{jobs}/{job_id}/get", json.dumps({"clientToken": TOKEN}).encode(), qos=0)
    execution = answer(device, f"{jobs}/{job_id}")["execution"]
    device.client.unsubscribe(f"{jobs}/{job_id}/get/accepted")
    return execution


def update(device: Device, jobs: str, job_id: str, status: str, version: int) -> Any:
    """`Job.update`: the literal `.../update/` filter (no wildcard) and no clientToken."""
    device.subscribe(f"{jobs}/{job_id}/update/", qos=0)
    request = {
        "status": status,
        "statusDetails": {},
        "expectedVersion": version,
        "includeJobExecutionState": True,
    }
    device.publish(f"{jobs}/{job_id}/update", json.dumps(request).encode(), qos=0)
    updated = answer(device, f"{jobs}/{job_id}/update")
    device.client.unsubscribe(f"{jobs}/{job_id}/update/#")
    return updated


def test_the_zerynth_fota_sequence_updates_the_device_and_the_control_plane_sees_it(
    aws: AwsSettings,
    stage: FotaStage,
    thing: tuple[str, Credentials],
    endpoint: Endpoint,
    boto: Any,
) -> None:
    name, credentials = thing
    jobs = f"$aws/things/{name}/jobs"
    job = start_fota(name, stage.firmware, stage.bucket, stage.role, duration=900, aws=aws)

    device = connect(endpoint, name, credentials)  # client id: the thing's mqttid
    try:
        assert device.subscribe(f"{jobs}/notify", qos=0) == [0]
        listed = jobs_list(device, jobs)
        assert [j["jobId"] for j in listed["queuedJobs"]] == [job.job_id]
        assert listed["clientToken"] == TOKEN
        execution = describe(device, jobs, job.job_id)
        assert execution["status"] == "QUEUED" and execution["versionNumber"] == 1
        document = execution["jobDocument"]
        assert document["operation"] == "fota" and document["bc_idx"] == 1
        started = update(device, jobs, job.job_id, "IN_PROGRESS", execution["versionNumber"])
        assert started["executionState"]["status"] == "IN_PROGRESS"
    finally:
        device.stop()  # the library disconnects MQTT before downloading

    assert document["bc_url"].startswith("https://127.0.0.1:")  # S3 over TLS, as AWS's
    trusted = ssl.create_default_context(cafile=endpoint.ca_file)  # verified as a device does
    with urllib.request.urlopen(document["bc_url"], timeout=10, context=trusted) as download:
        bytecode = download.read()
    assert len(bytecode) == document["bc_size"] == len(stage.bytecode)
    assert hashlib.md5(bytecode).hexdigest() == document["bc_crc"]
    assert "X-Amz-Expires=900" in document["bc_url"]

    device = connect(endpoint, name, credentials)  # after the reset, on the new slot
    try:
        listed = jobs_list(device, jobs)
        assert [j["jobId"] for j in listed["inProgressJobs"]] == [job.job_id]
        execution = describe(device, jobs, job.job_id)
        assert execution["status"] == "IN_PROGRESS" and execution["versionNumber"] == 2
        done = update(device, jobs, job.job_id, "SUCCEEDED", execution["versionNumber"])
        assert done["executionState"] == {"status": "SUCCEEDED", "versionNumber": 3}
        stale = update(device, jobs, job.job_id, "SUCCEEDED", 2)
        assert stale["code"] == "VersionMismatch"
    finally:
        device.stop()

    iot = boto("iot")
    described = iot.describe_job_execution(jobId=job.job_id, thingName=name)["execution"]
    assert described["status"] == "SUCCEEDED" and described["versionNumber"] == 3
    listed_for_job = iot.list_job_executions_for_job(jobId=job.job_id)["executionSummaries"]
    assert [e["jobExecutionSummary"]["status"] for e in listed_for_job] == ["SUCCEEDED"]
    summary = iot.describe_job(jobId=job.job_id)["job"]
    assert summary["status"] == "COMPLETED"
    assert summary["jobProcessDetails"]["numberOfSucceededThings"] == 1


def test_a_job_started_while_the_device_listens_reaches_it_on_notify(
    aws: AwsSettings,
    stage: FotaStage,
    thing: tuple[str, Credentials],
    endpoint: Endpoint,
) -> None:
    name, credentials = thing
    device = connect(endpoint, name, credentials)
    try:
        device.subscribe(f"$aws/things/{name}/jobs/notify", qos=0)
        job = start_fota(name, stage.firmware, stage.bucket, stage.role, aws=aws, verify=False)
        notified = answer(device, f"$aws/things/{name}/jobs/notify")
        assert [j["jobId"] for j in notified["jobs"]["QUEUED"]] == [job.job_id]
    finally:
        device.stop()


def test_the_shadow_report_is_kept_and_a_desired_change_reaches_the_device_as_delta(
    aws: AwsSettings, thing: tuple[str, Credentials], endpoint: Endpoint, boto: Any
) -> None:
    name, credentials = thing
    shadow = f"$aws/things/{name}/shadow"
    device = connect(endpoint, name, credentials)
    try:
        assert device.subscribe(f"{shadow}/update/delta", qos=0) == [0]
        # update_shadow(s): the reported state, no clientToken or version
        device.publish(
            f"{shadow}/update", json.dumps({"state": {"reported": {"led": 0}}}).encode(), qos=0
        )
        data = boto("iot-data")
        # the cloud asks for a change over iot-data's HTTP API; the device hears the delta
        data.update_thing_shadow(
            thingName=name, payload=json.dumps({"state": {"desired": {"led": 1}}}).encode()
        )
        delta = answer(device, f"{shadow}/update/delta")
        assert delta["state"] == {"led": 1}
        # on_shadow_request's callback returns the new state, published as reported
        device.publish(
            f"{shadow}/update", json.dumps({"state": {"reported": delta["state"]}}).encode(), qos=0
        )
        # no delta now that reported == desired: the next message is the answer to a later get
        device.subscribe(f"{shadow}/get/accepted", qos=0)
        device.publish(f"{shadow}/get", b"", qos=0)
        after = device.message()
        assert after.topic == f"{shadow}/get/accepted", after.topic
        assert "delta" not in json.loads(after.payload)["state"]
        got = json.loads(data.get_thing_shadow(thingName=name)["payload"].read())
        assert got["state"] == {"desired": {"led": 1}, "reported": {"led": 1}}
        assert got["version"] == 3
    finally:
        device.stop()
