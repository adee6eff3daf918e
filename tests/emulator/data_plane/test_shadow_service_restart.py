"""Shadows and job execution versions survive an emulator restart, as things do: both live on
moto's objects, pickled with the emulator's state on stop and restored on start."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from zaws.emulator import control


def client(service: str, url: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_a_shadow_and_an_executions_version_are_there_after_a_restart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    try:
        url = control.start(home).url or ""
        iot, data = client("iot", url), client("iot-data", url)
        arn = iot.create_thing(thingName="dev_0")["thingArn"]
        state = {"state": {"desired": {"led": 1}, "reported": {"led": 0}}}
        data.update_thing_shadow(thingName="dev_0", payload=json.dumps(state).encode())
        data.update_thing_shadow(
            thingName="dev_0", shadowName="cfg", payload=b'{"state": {"reported": {"r": 5}}}'
        )
        iot.create_job(jobId="j", targets=[arn], document='{"operation": "fota"}')
        iot.cancel_job_execution(jobId="j", thingName="dev_0")
        assert control.stop(home)

        url = control.start(home).url or ""
        iot, data = client("iot", url), client("iot-data", url)
        shadow = json.loads(data.get_thing_shadow(thingName="dev_0")["payload"].read())
        assert shadow["state"]["delta"] == {"led": 1} and shadow["version"] == 1
        named = json.loads(
            data.get_thing_shadow(thingName="dev_0", shadowName="cfg")["payload"].read()
        )
        assert named["state"] == {"reported": {"r": 5}}
        execution = iot.describe_job_execution(jobId="j", thingName="dev_0")["execution"]
        assert execution["status"] == "CANCELED"
        assert (execution["versionNumber"], execution["executionNumber"]) == (2, 1)
    finally:
        control.stop(home)
