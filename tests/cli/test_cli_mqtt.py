"""`zaws mqtt` as a user runs it, on the emulator's MQTT endpoint: -J lines, --count, --for,
Ctrl-C, and refusals in words with exit code 1."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.mqtt.emulator_endpoint import require_mqtt_endpoint
from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things

WAIT_S = 30


@pytest.fixture
def device(project: Path, aws: AwsSettings) -> Path:
    require_mqtt_endpoint(aws.home)
    add_things(project, aws=aws, base_name="sensor", count=1)
    return project


class Subscriber:
    """`zaws mqtt subscribe ...` running; `ready()` returns once it has subscribed."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.stderr_lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr_lines.put(line)
        self.stderr_lines.put("")

    def ready(self) -> None:
        while True:
            line = self.stderr_lines.get(timeout=WAIT_S)
            self.stderr.append(line)
            if line.startswith("Subscribed to"):
                return
            assert line, "zaws mqtt subscribe ended before subscribing: " + "".join(self.stderr)

    def finish(self) -> tuple[int, str, str]:
        assert self.process.stdout is not None
        self.process.wait(WAIT_S)  # stderr is read by the thread; communicate() would race it
        stdout = self.process.stdout.read()
        while (line := self.stderr_lines.get(timeout=WAIT_S)) != "":
            self.stderr.append(line)
        return self.process.returncode, stdout, "".join(self.stderr)


@contextmanager
def subscriber(zaws_home: Path, *args: str) -> Iterator[Subscriber]:
    environment = {**os.environ, "ZAWS_HOME": str(zaws_home), "ZAWS_LOCAL": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "zaws.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        yield Subscriber(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(WAIT_S)


def test_json_lines_as_messages_arrive_until_count(
    device: Path, zaws_home: Path, run_zaws: Any
) -> None:
    with subscriber(
        zaws_home, "-J", "mqtt", "subscribe", str(device), "sensor_0/#", "--count", "2"
    ) as sub:
        sub.ready()
        sent = run_zaws(
            "mqtt",
            "publish",
            str(device),
            "sensor_0/data",
            '{"t": 1}',
            "--thing",
            "sensor_0",
            "--qos",
            "1",
        )
        assert sent.returncode == 0, sent.stderr
        sent = run_zaws("mqtt", "publish", str(device), "sensor_0/text", "-", input="hello")
        assert sent.returncode == 0, sent.stderr
        code, stdout, stderr = sub.finish()
    assert code == 0, stderr
    lines = [json.loads(line) for line in stdout.splitlines()]
    assert [{k: m[k] for k in ("topic", "payload", "qos", "retain")} for m in lines] == [
        {"topic": "sensor_0/data", "payload": {"t": 1}, "qos": 1, "retain": False},
        {"topic": "sensor_0/text", "payload": "hello", "qos": 0, "retain": False},
    ]
    assert "2 messages" in stderr


def test_publish_prints_what_it_did(device: Path, run_zaws: Any) -> None:
    plain = run_zaws("mqtt", "publish", str(device), "sensor_0/data", "hi", "--thing", "sensor_0")
    assert plain.returncode == 0, plain.stderr
    assert "Published 2 bytes to sensor_0/data (QoS 0, handled)" in plain.stdout
    as_json = run_zaws("-J", "mqtt", "publish", str(device), "sensor_0/data", "--qos", "1")
    assert as_json.returncode == 0, as_json.stderr
    result = json.loads(as_json.stdout)
    assert (result["qos"], result["size"]) == (1, 0)
    assert result["client_id"].startswith("zaws-")


def test_for_ends_a_quiet_watch(device: Path, run_zaws: Any) -> None:
    watched = run_zaws("mqtt", "subscribe", str(device), "sensor_0/#", "--for", "1")
    assert watched.returncode == 0, watched.stderr
    assert "0 messages" in watched.stderr and "(time is up)" in watched.stderr
    assert watched.stdout == ""


def test_ctrl_c_stops_cleanly(device: Path, zaws_home: Path) -> None:
    with subscriber(zaws_home, "mqtt", "subscribe", str(device), "sensor_0/#") as sub:
        sub.ready()
        sub.process.send_signal(signal.SIGINT)
        code, _, stderr = sub.finish()
    assert code == 0, stderr
    assert "(stopped)" in stderr


def test_a_refused_subscription_is_explained_in_words(device: Path, run_zaws: Any) -> None:
    refused = run_zaws(
        "mqtt", "subscribe", str(device), "other/#", "--thing", "sensor_0", "--for", "5"
    )
    assert refused.returncode == 1
    assert (
        "policy device-policy does not allow subscribing to other/# "
        "(iot:Subscribe on topicfilter/other/#)" in refused.stderr
    )


def test_an_inactive_certificate_is_refused_in_words(
    device: Path, run_zaws: Any, boto: Any
) -> None:
    from zaws.project.thing_project import ThingProject

    cert_id = ThingProject.open(device).thing("sensor_0").cert_id
    boto("iot").update_certificate(certificateId=cert_id, newStatus="INACTIVE")
    refused = run_zaws("mqtt", "publish", str(device), "sensor_0/data", "x", "--thing", "sensor_0")
    assert refused.returncode == 1
    assert "is INACTIVE, and AWS IoT accepts only ACTIVE certificates" in refused.stderr
    assert refused.stderr.count("\n") == 1  # one line, no traceback


def test_messages_are_formatted_for_a_terminal_a_pipe_and_json() -> None:
    from zaws.cli.commands_mqtt import format_message
    from zaws.mqtt.messages import MqttMessage

    message = MqttMessage("sensor_0/data", b'{"t": 1, "a": [1]}', 1, True, 1_764_633_600.0)
    pretty = format_message(message, as_json=False, pretty=True).splitlines()
    assert pretty[0].startswith("sensor_0/data  ") and pretty[0].endswith("(retained)")
    assert pretty[1:] == ["{", '  "t": 1,', '  "a": [', "    1", "  ]", "}"]
    line = format_message(message, as_json=False, pretty=False)
    assert line.endswith('sensor_0/data (retained) {"t":1,"a":[1]}') and "\n" not in line
    data = json.loads(format_message(message, as_json=True, pretty=True))
    assert (data["topic"], data["payload"], data["qos"], data["retain"]) == (
        "sensor_0/data",
        {"t": 1, "a": [1]},
        1,
        True,
    )
    binary = MqttMessage("b", b"\xff", 0, False, 0.0)
    assert format_message(binary, as_json=False, pretty=False).endswith(" b 0xff")
