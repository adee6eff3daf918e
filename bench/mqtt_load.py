"""Benchmark (issue 11, item 8): 1000 devices on the emulator's MQTT endpoint, in one run.

A throw-away ZAWS_HOME and an emulator of its own (`zaws.emulator.control.start`); the fleet from
`mqtt_fleet.py` (EC keys, certificates from CSRs, zaws's device policy; not timed as a phase);
the devices in `--processes` load-generator processes (`mqtt_devices.py`, asyncio, the
emulator's codec). Then, measured in order:
1. connect: every device opens mutual TLS, CONNECTs as its thing, subscribes to its own
   `<thing>/samples` and `$aws/things/<thing>/jobs/notify-next`, all started at once: time until
   the last SUBACK, handshakes (whole connections) per second, the emulator's VmRSS and VmHWM;
2. publish: each device one QoS 1 message a second to `<thing>/samples` for `--seconds`, received
   back by itself (zaws's device policy lets a thing subscribe to and receive its own topics):
   sent, acknowledged, delivered, lost, duplicates, latency p50/p95/p99/max (publish to delivery);
3. jobs: one `create_job` through boto3 targeting every thing's ARN: time from the call until the
   last device has its notify-next;
4. `bench.policy_eval` in a child process right after, for the per-check cost.
For each phase the CPU of the emulator and of each generator process, as cores busy, so a reader
can tell which side limits. `--py-spy PATH` (py-spy on PATH) records the emulator for 20 s of the
publish phase into PATH (speedscope JSON).

    .venv/bin/python -m bench.mqtt_load [--devices 1000] [--seconds 60] [--processes 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.local_aws import child_environment, iot_client
from bench.mqtt_devices import percentile
from bench.mqtt_fleet import CpuMeter, memory_mb, provision
from zaws.emulator import control

DRAIN_S = 5.0


class Generator:
    """One load-generator process and its JSON-lines conversation."""

    def __init__(self, spec_file: Path, devices: int) -> None:
        self.devices = devices
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.mqtt_devices", str(spec_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=child_environment(),
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, command: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"load generator {self.pid} ended")
        return dict(json.loads(line))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def everyone(generators: list[Generator], commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for generator, command in zip(generators, commands, strict=True):
        generator.send(command)
    return [generator.answer() for generator in generators]


def run(devices_count: int, seconds: int, processes: int, py_spy: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="zaws-bench-mqtt-") as work:
        home = Path(work) / "home"
        started = control.start(home)
        generators: list[Generator] = []
        try:
            assert started.url and started.pid and started.mqtt, started
            pid, endpoint = started.pid, started.mqtt
            result: dict[str, Any] = {
                "benchmark": "mqtt_load",
                "devices": devices_count,
                "emulator_memory_idle_mb": memory_mb(pid),
            }
            devices, result["provisioning"] = provision(
                started.url, Path(work) / "devices", devices_count
            )
            result["emulator_memory_provisioned_mb"] = memory_mb(pid)
            shares = [devices[i::processes] for i in range(processes)]
            for index, share in enumerate(shares):
                spec_file = Path(work) / f"spec-{index}.json"
                spec = {"endpoint": endpoint, "devices": [d.to_dict() for d in share]}
                spec_file.write_text(json.dumps(spec))
                generators.append(Generator(spec_file, len(share)))
            for generator in generators:
                assert generator.answer()["event"] == "ready"
            pids = {"emulator": pid} | {f"generator_{i}": g.pid for i, g in enumerate(generators)}
            meter = CpuMeter(pids)
            result["connect"] = connect_phase(generators, meter, pid, devices_count)
            time.sleep(2)
            result["publish"] = publish_phase(generators, meter, seconds, py_spy, pid)
            result["emulator_memory_after_publish_mb"] = memory_mb(pid)
            arns = [d.arn for d in devices]
            result["job"] = job_phase(generators, meter, started.url, arns)
            result["emulator_memory_end_mb"] = memory_mb(pid)
            everyone(generators, [{"cmd": "stop"}] * processes)
        finally:
            for generator in generators:
                generator.close()
            control.stop(home)
    result["policy_eval"] = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.policy_eval"], capture_output=True, text=True, check=True
        ).stdout
    )
    result["load_average"] = os.getloadavg()
    return result


def connect_phase(
    generators: list[Generator], meter: CpuMeter, pid: int, count: int
) -> dict[str, Any]:
    at = time.time() + 0.5
    meter.start()
    answers = everyone(generators, [{"cmd": "connect", "at": at}] * len(generators))
    cpu = meter.stop()
    times = sorted(t for a in answers for t in a["connected_at"])
    ok = sum(a["ok"] for a in answers)
    seconds = (times[-1] - at) if times else float("nan")
    return {
        "connected": ok,
        "failed": sum(a["failed"] for a in answers),
        "errors": [e for a in answers for e in a["errors"]][:5],
        "retries": sum(a["retries"] for a in answers),
        "seconds_until_all": round(seconds, 2),
        "seconds_until_half": round(times[len(times) // 2] - at, 2) if times else None,
        "connections_per_second": round(ok / seconds, 1) if times else 0,
        "all_held": ok == count,
        "emulator_memory_mb": memory_mb(pid),
        "cpu": cpu,
    }


def publish_phase(
    generators: list[Generator], meter: CpuMeter, seconds: int, py_spy: str | None, pid: int
) -> dict[str, Any]:
    at = time.time() + 1.0
    total = sum(g.devices for g in generators)
    commands, first = [], 0
    for generator in generators:
        commands.append(
            {
                "cmd": "publish",
                "at": at,
                "seconds": seconds,
                "total": total,
                "first_index": first,
                "drain": DRAIN_S,
            }
        )
        first += generator.devices
    spy = None
    meter.start()
    for generator, command in zip(generators, commands, strict=True):
        generator.send(command)
    if py_spy:
        time.sleep(1.0 + min(20.0, seconds / 3))
        spy_command = [shutil.which("py-spy") or "py-spy", "record", "-p", str(pid)]
        spy_command += ["-d", "20", "-r", "50", "-f", "speedscope", "-o", py_spy, "--nonblocking"]
        spy = subprocess.Popen(
            spy_command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    answers = [generator.answer() for generator in generators]
    cpu = meter.stop()
    if spy is not None:
        spy.wait(timeout=60)
    latencies = [x for a in answers for x in a["latencies_ms"]]
    sent = sum(a["sent"] for a in answers)
    return {
        "sent": sent,
        "acked": sum(a["acked"] for a in answers),
        "delivered": sum(a["delivered"] for a in answers),
        "lost": sum(a["lost"] for a in answers),
        "duplicates": sum(a["duplicates"] for a in answers),
        "messages_per_second": round(sent / seconds, 1),
        "latency_ms": {
            "p50": round(statistics.median(latencies), 2) if latencies else None,
            "p95": round(percentile(latencies, 0.95), 2),
            "p99": round(percentile(latencies, 0.99), 2),
            "max": round(max(latencies, default=float("nan")), 2),
        },
        "generator_send_lateness_ms": [a["send_lateness_ms"] for a in answers],
        "cpu (includes the drain)": cpu,
    }


def job_phase(
    generators: list[Generator], meter: CpuMeter, url: str, arns: list[str]
) -> dict[str, Any]:
    iot = iot_client(url)
    meter.start()
    at = time.time()
    iot.create_job(
        jobId="bench-job",
        targets=arns,
        document=json.dumps({"operation": "bench", "version": "1"}),
        targetSelection="SNAPSHOT",
    )
    returned = time.time()
    answers = everyone(generators, [{"cmd": "jobs", "timeout": 60}] * len(generators))
    cpu = meter.stop()
    times = sorted(t for a in answers for t in a["notified_at"])
    return {
        "notified": len(times),
        "create_job_call_seconds": round(returned - at, 2),
        "seconds_until_all_notified": round(times[-1] - at, 2) if times else None,
        "seconds_until_first_notified": round(times[0] - at, 2) if times else None,
        "cpu": cpu,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.mqtt_load")
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--py-spy", metavar="PATH", help="profile the emulator (speedscope JSON)")
    args = parser.parse_args(argv)
    result = run(args.devices, args.seconds, args.processes, args.py_spy)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
