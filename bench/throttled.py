"""Benchmark (c): add-things through a proxy that enforces AWS IoT's default quotas.

The fault proxy (tests/support/fault_proxy.py, quota mode `aws-default`) sits in front of the
emulator and answers ThrottlingException above each API's default TPS. zaws runs in real-AWS mode
against the proxy (`--endpoint-url`, fake credentials in the child only), so its client-side rate
limiter is on, as it would be against AWS. The ceiling is the slowest API per thing:
CreateKeysAndCertificate at 10/s (AttachPolicy 15/s, CreateThing and AttachThingPrincipal 100/s),
plus the one second of burst each bucket starts with.

    python -m bench.throttled [--things 300]

Target (issue 3): >= 90 % of the ceiling, no failed thing.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench.emulator import running_emulator
from bench.local_aws import child_environment, iot_client
from bench.zaws_cli import make_project, zaws
from tests.support.aws_quotas import AWS_IOT_DEFAULT_TPS
from tests.support.fault_proxy import FaultProxy

PER_THING = ("CreateThing", "CreateKeysAndCertificate", "AttachPolicy", "AttachThingPrincipal")


def ceiling_seconds(things: int) -> float:
    """The least time AWS's default quotas allow: the slowest API, after its one-second burst."""
    return max(max(0.0, things - rate) / rate for rate in map(AWS_IOT_DEFAULT_TPS.get, PER_THING))


def observed_ceiling_seconds(stats: dict[str, dict[str, int]]) -> float:
    """The same bound over the calls zaws actually sent (it may use more APIs than the four)."""
    return max(
        max(0.0, counts.get("forwarded", 0) - AWS_IOT_DEFAULT_TPS[op]) / AWS_IOT_DEFAULT_TPS[op]
        for op, counts in stats.items()
        if op in AWS_IOT_DEFAULT_TPS
    )


def run(things: int) -> dict[str, object]:
    env = {k: v for k, v in child_environment().items() if k.startswith("AWS_")}
    with tempfile.TemporaryDirectory(prefix="zaws-bench-") as work:
        home = Path(work) / "home"
        with running_emulator(home) as url:
            project = make_project(home, Path(work), "bench-policy", local_args=("--local",))
            with FaultProxy(url, quota="aws-default") as proxy:
                endpoint = ("--endpoint-url", proxy.url, "--region", "us-east-1")
                add = [*endpoint, "add-things", str(project), "--thing-base-name", "dev"]
                ours = zaws(*add, "--things-number", str(things), home=home, env=env)
            pages = iot_client(url).get_paginator("list_things").paginate()
            remote = sum(len(p["things"]) for p in pages)
    ceiling = ceiling_seconds(things)
    stats = proxy.stats()
    return {
        "benchmark": "throttled",
        "things": things,
        "seconds": round(ours.seconds, 3),
        "operation_seconds": ours.result["seconds"],
        "ceiling_seconds": round(ceiling, 3),
        "ceiling_seconds_for_calls_sent": round(observed_ceiling_seconds(stats), 3),
        "fraction_of_ceiling": round(ceiling / ours.result["seconds"], 3),
        "fraction_of_ceiling_wall": round(ceiling / ours.seconds, 3),
        "remote_things": remote,
        "failed_things": things - len(ours.result["things"]),
        "throttled_answers": {op: c.get("throttled", 0) for op, c in stats.items()},
        "proxy_counts": stats,
        "targets_met": {
            "90_percent_of_ceiling": ceiling / ours.result["seconds"] >= 0.9,
            "no_failed_thing": remote == len(ours.result["things"]) == things,
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.throttled")
    parser.add_argument("--things", type=int, default=300)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.things), indent=2))


if __name__ == "__main__":
    main()
