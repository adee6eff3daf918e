"""Plays a device's side of a FOTA job on the emulator's MQTT endpoint, as the Zerynth library does.

The device is real MQTT: a paho-mqtt client over mutual TLS with a certificate of its own (made
here, attached to the thing with a policy allowing the library's topics, and removed afterwards,
so the thing is left as it was), connecting with the thing's name as client id. It does what the
Zerynth device library does (shared/notes/zerynth-device-library.md): list the pending jobs,
describe the oldest queued one, require operation "fota", bc_idx, bc_crc, bc_size and bc_url,
update IN_PROGRESS with the expectedVersion it read, disconnect, download bc_url (the presigned
URL AWS substituted, here the emulator's), check size and MD5, then reconnect and update
SUCCEEDED, or FAILED when the firmware is wrong. Device checks are written here on purpose, not
taken from zaws, so a bug in zaws's own checks cannot hide from them.

It also prepares `FotaStage`: the bucket, role and firmware file that FOTA tests start jobs from.
"""

from __future__ import annotations

import hashlib
import json
import queue
import ssl
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from zaws.aws.clients import AwsClients
from zaws.aws.settings import AwsSettings
from zaws.emulator import control
from zaws.operations.firmware import sample_firmware
from zaws.operations.fota_setup import fota_setup

BYTECODE = bytes(range(256)) * 8 + b"zerynth bytecode"
WAIT_S = 15.0
TOKEN = "3038313531"  # the library's clientToken: the digits of the MCU's uid
PLAYBACK_POLICY = "zaws-playback-device"


class DeviceRejected(AssertionError):
    """The device library would mark the job FAILED (or never see it)."""


@dataclass(frozen=True)
class DeviceUpdate:
    job_id: str
    bc_idx: int
    bytecode: bytes
    url: str  # the presigned URL the device downloaded


@dataclass(frozen=True)
class FotaStage:
    bucket: str
    role: str
    firmware: Path
    bytecode: bytes


def prepare_stage(aws: AwsSettings, folder: Path, bytecode: bytes = BYTECODE) -> FotaStage:
    done = fota_setup("zaws-firmware", "zaws-fota-role", aws=aws)
    firmware = folder / "firmware.json"
    firmware.write_text(json.dumps(sample_firmware(bytecode, bc_idx=1)))
    return FotaStage(done.bucket, done.role_name, firmware, bytecode)


def play_device(thing: str, *, aws: AwsSettings) -> DeviceUpdate:
    """Fetch, download and check the thing's next FOTA job as the device library would."""
    with _device_identity(thing, aws) as identity:
        with _Device(thing, identity, aws) as device:
            listed = device.request("jobs/get", {"clientToken": TOKEN}, "jobs/get/accepted")
            queued = listed.get("queuedJobs") or []
            if not queued:
                raise DeviceRejected(f"{thing} has no queued job")
            job_id = str(queued[0]["jobId"])
            execution = device.describe(job_id)
            document = execution.get("jobDocument")
            if not isinstance(document, dict) or document.get("operation") != "fota":
                device.update(job_id, "FAILED", {"reason": "bad fota data"}, execution)
                raise DeviceRejected(f"job {job_id} is not a FOTA job: {document!r}")
            missing = [k for k in ("bc_idx", "bc_crc", "bc_size", "bc_url") if k not in document]
            if missing:
                device.update(job_id, "FAILED", {"reason": "bad fota data"}, execution)
                raise DeviceRejected(f"job {job_id} lacks {missing}")
            device.update(job_id, "IN_PROGRESS", {}, execution)
        url = str(document["bc_url"])  # downloaded with MQTT disconnected, as the library does
        trusted = ssl.create_default_context(cafile=device.ca_file)  # the emulator's S3 over TLS
        try:
            with urllib.request.urlopen(url, timeout=30, context=trusted) as response:
                data = response.read()
        except (urllib.error.HTTPError, ValueError) as err:
            raise DeviceRejected(f"download of {url} failed: {err}") from None
        problem = None
        if len(data) != document["bc_size"]:
            problem = f"size {len(data)} != bc_size {document['bc_size']}"
        elif hashlib.md5(data).hexdigest() != document["bc_crc"]:
            problem = f"MD5 {hashlib.md5(data).hexdigest()} != bc_crc {document['bc_crc']}"
        with _Device(thing, identity, aws) as device:  # after the reset
            execution = device.describe(job_id)
            if problem:
                device.update(job_id, "FAILED", {"reason": "invalid fota"}, execution)
                raise DeviceRejected(problem)
            device.update(job_id, "SUCCEEDED", {}, execution)
    return DeviceUpdate(job_id=job_id, bc_idx=int(document["bc_idx"]), bytecode=data, url=url)


@dataclass(frozen=True)
class _Identity:
    cert_file: Path
    key_file: Path


@contextmanager
def _device_identity(thing: str, aws: AwsSettings) -> Iterator[_Identity]:
    """A certificate of the thing's own, under a policy for the library's topics; then removed."""
    iot = AwsClients(aws).iot
    made = iot.create_keys_and_certificate(setAsActive=True)
    arn = made["certificateArn"]
    _ensure_policy(iot)
    iot.attach_policy(policyName=PLAYBACK_POLICY, target=arn)
    iot.attach_thing_principal(thingName=thing, principal=arn)
    try:
        with tempfile.TemporaryDirectory() as folder:
            cert_file, key_file = Path(folder) / "cert.pem", Path(folder) / "key.pem"
            cert_file.write_text(made["certificatePem"])
            key_file.write_text(made["keyPair"]["PrivateKey"])
            yield _Identity(cert_file, key_file)
    finally:
        iot.detach_thing_principal(thingName=thing, principal=arn)
        iot.detach_policy(policyName=PLAYBACK_POLICY, target=arn)
        iot.update_certificate(certificateId=made["certificateId"], newStatus="INACTIVE")
        iot.delete_certificate(certificateId=made["certificateId"])


def _ensure_policy(iot: Any) -> None:
    thing = "${iot:Connection.Thing.ThingName}"
    things = "arn:aws:iot:*:*:topic/$aws/things"
    filters = "arn:aws:iot:*:*:topicfilter/$aws/things"
    statements = [
        {"Effect": "Allow", "Action": "iot:Connect", "Resource": f"arn:aws:iot:*:*:client/{thing}"},
        {
            "Effect": "Allow",
            "Action": ["iot:Publish", "iot:Receive"],
            "Resource": f"{things}/{thing}/jobs/*",
        },
        {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": f"{filters}/{thing}/jobs/*"},
    ]
    document = json.dumps({"Version": "2012-10-17", "Statement": statements})
    with suppress(iot.exceptions.ResourceAlreadyExistsException):
        iot.create_policy(policyName=PLAYBACK_POLICY, policyDocument=document)


class _Device:
    """One MQTT session of the device: paho over mutual TLS, messages in a queue."""

    def __init__(self, thing: str, identity: _Identity, aws: AwsSettings) -> None:
        found = control.status(aws.home).mqtt
        if found is None:
            raise DeviceRejected("the emulator serves no MQTT endpoint")
        self.prefix = f"$aws/things/{thing}"
        self.messages: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self.connected: queue.Queue[Any] = queue.Queue()
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=thing, protocol=mqtt.MQTTv311, clean_session=True
        )
        self.ca_file = str(found["ca_file"])
        context = ssl.create_default_context(cafile=self.ca_file)
        context.load_cert_chain(identity.cert_file, identity.key_file)
        client.tls_set_context(context)
        client.on_connect = lambda _c, _u, _f, code, _p: self.connected.put(code)
        client.on_message = lambda _c, _u, message: self.messages.put(message)
        client.reconnect_delay_set(60, 120)
        self.client = client
        self.host, self.port = str(found["host"]), int(str(found["port"]))

    def __enter__(self) -> _Device:
        self.client.connect_async(self.host, self.port, keepalive=60)
        self.client.loop_start()
        try:
            code = self.connected.get(timeout=WAIT_S)
        except queue.Empty:
            self.__exit__()
            raise DeviceRejected("the device could not connect") from None
        if code.is_failure:
            self.__exit__()
            raise DeviceRejected(f"the device was refused: {code}")
        self.client.subscribe(f"{self.prefix}/jobs/notify", 0)
        return self

    def __exit__(self, *_: object) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def request(self, topic: str, body: dict[str, Any], answer: str, subscribe: str = "") -> Any:
        """Subscribe, publish, wait for a topic starting with `answer` (the library's loop)."""
        self.client.subscribe(f"{self.prefix}/{subscribe or answer}", 0)
        self.client.publish(f"{self.prefix}/{topic}", json.dumps(body), 0)
        while True:
            try:
                message = self.messages.get(timeout=WAIT_S)
            except queue.Empty:
                raise DeviceRejected(f"no answer on {answer}") from None
            if message.topic.startswith(f"{self.prefix}/{answer}"):
                return json.loads(message.payload)

    def describe(self, job_id: str) -> dict[str, Any]:
        answer = self.request(
            f"jobs/{job_id}/get",
            {"clientToken": TOKEN},
            f"jobs/{job_id}",
            f"jobs/{job_id}/get/accepted",
        )
        execution = answer.get("execution")
        if not isinstance(execution, dict) or "versionNumber" not in execution:
            raise DeviceRejected(f"job {job_id} could not be described: {answer!r}")
        return execution

    def update(self, job_id: str, status: str, details: dict[str, str], execution: Any) -> None:
        """`Job.update`: the literal `.../update/` filter, expectedVersion, no clientToken."""
        request = {
            "status": status,
            "statusDetails": details,
            "expectedVersion": execution["versionNumber"],
            "includeJobExecutionState": True,
        }
        topic = f"jobs/{job_id}/update"
        answer = self.request(topic, request, topic, f"{topic}/")
        state = answer.get("executionState") or {}
        if state.get("status") != status:
            raise DeviceRejected(f"the update of {job_id} to {status} was refused: {answer!r}")
        execution["versionNumber"] = state["versionNumber"]
