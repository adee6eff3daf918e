"""Benchmark (c): add-things through a proxy that enforces AWS IoT's default quotas.

The fault proxy (tests/support/fault_proxy.py, quota mode `aws-default`) sits in front of the
emulator and answers ThrottlingException above each API's default TPS. zaws runs in real-AWS mode
against the proxy (`--endpoint-url`, fake credentials in the child only), so its client-side rate
limiter is on, as it would be against AWS. The ceiling is the slowest API per thing, plus the one
second of burst each bucket starts with:
- `--keys aws` (issue 3): CreateKeysAndCertificate at 10/s (AttachPolicy 15/s, CreateThing and
  AttachThingPrincipal 100/s);
- `--keys local` (issue 13; EC P-256 keys made here by default): CreateCertificateFromCsr and
  AttachPolicy at 15/s (CreateThing and AttachThingPrincipal 100/s).

    python -m bench.throttled [--things 300] [--keys aws|local] [--key-type ec-p256]

Target (issues 3 and 13): >= 90 % of the ceiling, no failed thing.
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

# The APIs add-things calls once per thing, by where the key is made.
PER_THING = {
    "aws": ("CreateThing", "CreateKeysAndCertificate", "AttachPolicy", "AttachThingPrincipal"),
    "local": ("CreateThing", "CreateCertificateFromCsr", "AttachPolicy", "AttachThingPrincipal"),
}


def ceiling_seconds(things: int, keys: str = "aws") -> float:
    """The least time AWS's default quotas allow: the slowest API, after its one-second burst."""
    rates = [AWS_IOT_DEFAULT_TPS[op] for op in PER_THING[keys]]
    return max(max(0.0, things - rate) / rate for rate in rates)


def observed_ceiling(stats: dict[str, dict[str, int]]) -> tuple[float, list[str]]:
    """The same bound over the calls zaws actually sent (it may use more APIs than the four),
    and the APIs that set it."""
    bounds = {
        op: max(0.0, counts.get("forwarded", 0) - rate) / rate
        for op, counts in stats.items()
        if (rate := AWS_IOT_DEFAULT_TPS.get(op))
    }
    slowest = max(bounds.values())
    return slowest, sorted(op for op, bound in bounds.items() if bound == slowest)


def run(things: int, keys: str = "aws", key_type: str = "ec-p256") -> dict[str, object]:
    env = {k: v for k, v in child_environment().items() if k.startswith("AWS_")}
    key_options = ["--keys", keys, *(["--key-type", key_type] if keys == "local" else [])]
    with tempfile.TemporaryDirectory(prefix="zaws-bench-") as work:
        home = Path(work) / "home"
        with running_emulator(home) as url:
            project = make_project(home, Path(work), "bench-policy", local_args=("--local",))
            with FaultProxy(url, quota="aws-default") as proxy:
                endpoint = ("--endpoint-url", proxy.url, "--region", "us-east-1")
                add = [*endpoint, "add-things", str(project), "--thing-base-name", "dev"]
                ours = zaws(*add, "--things-number", str(things), *key_options, home=home, env=env)
            pages = iot_client(url).get_paginator("list_things").paginate()
            remote = sum(len(p["things"]) for p in pages)
            local = len(list((project / ".aws_things_resources").iterdir()))
    ceiling = ceiling_seconds(things, keys)
    stats = proxy.stats()
    made = len(ours.result["things"])
    sent_ceiling, slowest_sent = observed_ceiling(stats)
    return {
        "benchmark": "throttled",
        "keys": keys,
        **({"key_type": key_type} if keys == "local" else {}),
        "things": things,
        "seconds": round(ours.seconds, 3),
        "operation_seconds": ours.result["seconds"],
        "ceiling_seconds": round(ceiling, 3),
        "ceiling_apis": {op: AWS_IOT_DEFAULT_TPS[op] for op in PER_THING[keys]},
        "ceiling_seconds_for_calls_sent": round(sent_ceiling, 3),
        "slowest_apis_sent": slowest_sent,
        "fraction_of_ceiling_for_calls_sent": round(sent_ceiling / ours.result["seconds"], 3),
        "fraction_of_ceiling": round(ceiling / ours.result["seconds"], 3),
        "fraction_of_ceiling_wall": round(ceiling / ours.seconds, 3),
        "remote_things": remote,
        "local_things": local,
        "failed_things": things - made,
        "throttled_answers": {op: c.get("throttled", 0) for op, c in stats.items()},
        "proxy_counts": stats,
        "targets_met": {
            "90_percent_of_ceiling": ceiling / ours.result["seconds"] >= 0.9,
            "no_failed_thing": remote == local == made == things,
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.throttled")
    parser.add_argument("--things", type=int, default=300)
    parser.add_argument("--keys", choices=sorted(PER_THING), default="aws")
    parser.add_argument("--key-type", default="ec-p256", help="with --keys local")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.things, args.keys, args.key_type), indent=2))


if __name__ == "__main__":
    main()
