"""Benchmark (issue 12, item 8): `zaws device run --all` on a 1000-thing project, then one FOTA job.

A throw-away ZAWS_HOME and an emulator of its own; the project made with zaws's own operations
(create-policy, thing-project-from-template, add-things --keys local --key-type ec-p256,
fota-setup; timed, but not a phase). Then, measured in order:
1. connect: `zaws -J device run PROJECT --all` in a child process, as a user runs it: time from
   its start until every thing has reported `connected`, then `subscribed`; the simulator's and
   the emulator's CPU (cores busy) and memory (VmRSS, VmHWM);
2. fota: one job for every thing of the project (`start_fota_campaign`, `--all-things`, no
   verification), time from the call until the simulator has reported every execution
   SUCCEEDED, and what describe_job counts then; CPU and memory again.
The devices publish every `--every` seconds (60 by default, so that the phases measure connecting
and FOTA rather than sampling). Prints one JSON object.

    .venv/bin/python -m bench.device_fleet [--things 1000] [--every 60]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from bench.local_aws import child_environment
from bench.mqtt_fleet import CpuMeter, memory_mb
from zaws.aws.settings import AwsSettings
from zaws.emulator import control

POLICY = "bench-devices"
BUCKET = "zaws-bench-device-firmware"
ROLE = "zaws-bench-device-fota"
PHASE_TIMEOUT_S = 900.0  # --phase-timeout


class SimulatorEvents:
    """The simulator's -J lines, read on a thread: per thing, when it first did each thing."""

    def __init__(self, stream: IO[str], phase_timeout: float = PHASE_TIMEOUT_S) -> None:
        self.phase_timeout = phase_timeout
        self._changed = threading.Condition()
        self.first: dict[str, dict[str, float]] = {}  # kind or job status -> thing -> time
        self.job_status: dict[str, str] = {}
        self.errors: list[str] = []
        self.failure_reasons: collections.Counter[str] = collections.Counter()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            event = json.loads(line)
            if "thing" not in event:
                continue  # the run's summary
            now, thing, kind = time.perf_counter(), event["thing"], event["event"]
            with self._changed:
                key = event["status"] if kind == "job" else kind
                self.first.setdefault(key, {}).setdefault(thing, now)
                if kind == "job":
                    self.job_status[thing] = event["status"]
                    if event["status"] in ("FAILED", "REJECTED"):
                        why = event.get("reason", "?"), event.get("error", "")
                        self.failure_reasons[" ".join(str(part) for part in why).strip()] += 1
                if kind in ("error", "refused", "timeout") and len(self.errors) < 5:
                    self.errors.append(event["message"])
                self._changed.notify_all()

    def wait_until(self, done: Callable[[], bool]) -> None:
        with self._changed:
            if not self._changed.wait_for(done, self.phase_timeout):
                counts = {key: len(things) for key, things in self.first.items()}
                raise RuntimeError(
                    f"not done in {self.phase_timeout} s; things per event: {counts}; "
                    f"first errors: {self.errors}"
                )

    def count(self, key: str) -> int:
        return len(self.first.get(key, {}))

    def last(self, key: str) -> float:
        return max(self.first[key].values())


def provision(work: Path, things: int, aws: AwsSettings) -> tuple[Path, dict[str, Any]]:
    from zaws.operations.add_things import add_things
    from zaws.operations.create_policy import create_policy
    from zaws.operations.create_project import create_project
    from zaws.operations.firmware import sample_firmware
    from zaws.operations.fota_setup import fota_setup

    started = time.perf_counter()
    create_policy(POLICY, aws=aws)
    project = Path(create_project("fleet", work, policy_name=POLICY, aws=aws).path)
    add_things(project, aws=aws, base_name="dev", count=things, keys="local", key_type="ec-p256")
    added = time.perf_counter() - started
    fota_setup(BUCKET, ROLE, aws=aws)
    firmware = work / "firmware.json"
    firmware.write_text(json.dumps(sample_firmware(b"\x00bench bytecode " * 1250, bc_idx=1)))
    return project, {"things": things, "add_things_seconds": round(added, 1)}


def connect_phase(events: SimulatorEvents, meter: CpuMeter, things: int) -> dict[str, Any]:
    started = time.perf_counter()
    meter.start()
    events.wait_until(lambda: events.count("subscribed") >= things)
    return {
        "connected": events.count("connected"),
        "seconds_until_all_connected": round(events.last("connected") - started, 2),
        "seconds_until_all_subscribed": round(events.last("subscribed") - started, 2),
        "cpu": meter.stop(),
    }


def fota_phase(
    events: SimulatorEvents, meter: CpuMeter, project: Path, aws: AwsSettings, things: int
) -> dict[str, Any]:
    from zaws.aws.clients import AwsClients
    from zaws.operations.fota_start import start_fota_campaign
    from zaws.operations.fota_targets import FotaTargets

    meter.start()
    started = time.perf_counter()
    job = start_fota_campaign(
        FotaTargets(all_project_things=True),
        project.parent / "firmware.json",
        f"s3://{BUCKET}",
        ROLE,
        duration=3600,
        aws=aws,
        project=project,
        verify=False,
    )
    called = time.perf_counter() - started
    ended = ("SUCCEEDED", "FAILED", "REJECTED")
    events.wait_until(lambda: sum(events.count(status) for status in ended) >= things)
    first_in_progress = min(events.first["IN_PROGRESS"].values())
    counts = AwsClients(aws).iot.describe_job(jobId=job.job_id)["job"]["jobProcessDetails"]
    return {
        "start_fota_call_seconds": round(called, 2),
        "succeeded": events.count("SUCCEEDED"),
        "failed": events.count("FAILED") + events.count("REJECTED"),
        "failure_reasons": dict(events.failure_reasons.most_common(5)),
        "seconds_until_first_in_progress": round(first_in_progress - started, 2),
        "seconds_until_all_succeeded": round(events.last("SUCCEEDED") - started, 2),
        "describe_job": {k: v for k, v in counts.items() if k.startswith("numberOf") and v},
        "cpu": meter.stop(),
    }


def run(things: int, every: float, phase_timeout: float = PHASE_TIMEOUT_S) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="zaws-bench-devices-") as folder:
        work = Path(folder)
        home = work / "home"
        emulator = control.start(home)
        simulator: subprocess.Popen[str] | None = None
        try:
            assert emulator.pid, emulator
            aws = AwsSettings(local=True, home=home)
            project, result = provision(work, things, aws)
            result = {"benchmark": "device_fleet", "provisioning": result}
            env = child_environment() | {"ZAWS_HOME": str(home), "ZAWS_LOCAL": "1"}
            command = ["-J", "device", "run", str(project), "--all", "--every", str(every)]
            simulator = subprocess.Popen(
                [sys.executable, "-m", "zaws.cli", *command],
                stdout=subprocess.PIPE,
                text=True,
                env=env,
            )
            assert simulator.stdout is not None
            events = SimulatorEvents(simulator.stdout, phase_timeout)
            meter = CpuMeter({"simulator": simulator.pid, "emulator": emulator.pid})
            result["connect"] = connect_phase(events, meter, things)
            result["memory_after_connect_mb"] = {
                "simulator": memory_mb(simulator.pid),
                "emulator": memory_mb(emulator.pid),
            }
            result["fota"] = fota_phase(events, meter, project, aws, things)
            result["memory_after_fota_mb"] = {
                "simulator": memory_mb(simulator.pid),
                "emulator": memory_mb(emulator.pid),
            }
            result["errors"] = events.errors
            simulator.send_signal(signal.SIGINT)  # Ctrl-C: every device disconnects
            stopping = time.perf_counter()
            simulator.wait(timeout=120)
            result["seconds_to_stop_on_ctrl_c"] = round(time.perf_counter() - stopping, 2)
            result["load_average"] = os.getloadavg()
            return result
        finally:
            if simulator is not None and simulator.poll() is None:
                simulator.kill()
            control.stop(home)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--things", type=int, default=1000)
    parser.add_argument("--every", type=float, default=60.0)
    parser.add_argument("--phase-timeout", type=float, default=PHASE_TIMEOUT_S)
    arguments = parser.parse_args()
    print(json.dumps(run(arguments.things, arguments.every, arguments.phase_timeout), indent=2))


if __name__ == "__main__":
    main()
