"""Benchmarks of issue 13: add-things with keys made by AWS, made here, and in bulk.

In one run, on one emulator (bench/emulator.py), each as a `zaws --local -J add-things` child
process timed from its start, with its peak RSS from `wait4`, into a project of its own:
1000 things with `--keys aws` (the emulator makes RSA-2048 keys), 1000 with `--keys local
--key-type ec-p256` (EC keys made here, CreateCertificateFromCsr), and 10,000 with `--bulk`
(EC keys made here, one StartThingRegistrationTask). Checks that every thing exists remotely and
locally.

    python -m bench.add_things_key_sources [--things 1000] [--bulk-things 10000]

Targets: --keys local at least 2x the things/s of --keys aws; --bulk at least 5x the per-call
--keys aws rate of the same run, its peak memory <= 200 MB.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench.emulator import running_emulator
from bench.local_aws import iot_client
from bench.zaws_cli import ZawsRun, make_project, zaws


def run(things: int, bulk_things: int) -> dict[str, object]:
    runs: dict[str, tuple[int, ZawsRun, int, int]] = {}
    with tempfile.TemporaryDirectory(prefix="zaws-bench-") as work:
        home, folder = Path(work) / "home", Path(work)
        with running_emulator(home) as url:
            cases = {
                "keys_aws": (things, ["--keys", "aws"]),
                "keys_local_ec_p256": (things, ["--keys", "local", "--key-type", "ec-p256"]),
                "bulk_ec_p256": (
                    bulk_things,
                    ["--bulk", "--keys", "local", "--key-type", "ec-p256"],
                ),
            }
            for name, (count, options) in cases.items():
                parent = folder / name
                parent.mkdir()
                project = make_project(home, parent, "bench-policy", local_args=("--local",))
                base = name.replace("_", "")
                command = ["--local", "add-things", str(project), "--thing-base-name", base]
                ours = zaws(*command, "--things-number", str(count), *options, home=home)
                local = len(list((project / ".aws_things_resources").iterdir()))
                runs[name] = (count, ours, _remote_things(url, f"{base}_"), local)
    figures = {
        name: {
            "things": count,
            "seconds": round(ours.seconds, 3),
            "operation_seconds": ours.result["seconds"],
            "things_per_second": round(count / ours.seconds, 2),
            "peak_rss_mb": round(ours.peak_rss_mb, 1),
            "remote_things": remote,
            "local_things": local,
        }
        for name, (count, ours, remote, local) in runs.items()
    }
    aws_rate = float(figures["keys_aws"]["things_per_second"])  # type: ignore[arg-type]
    local_rate = float(figures["keys_local_ec_p256"]["things_per_second"])  # type: ignore[arg-type]
    bulk_rate = float(figures["bulk_ec_p256"]["things_per_second"])  # type: ignore[arg-type]
    return {
        "benchmark": "add_things_key_sources",
        **figures,
        "local_vs_aws": round(local_rate / aws_rate, 2),
        "bulk_vs_aws": round(bulk_rate / aws_rate, 2),
        "targets_met": {
            "local_2x_aws": local_rate >= 2 * aws_rate,
            "bulk_5x_aws": bulk_rate >= 5 * aws_rate,
            "bulk_200_mb": float(figures["bulk_ec_p256"]["peak_rss_mb"]) <= 200,  # type: ignore[arg-type]
            "all_things": all(r[2] == r[3] == r[0] for r in runs.values()),
        },
    }


def _remote_things(url: str, prefix: str) -> int:
    pages = iot_client(url).get_paginator("list_things").paginate()
    return sum(t["thingName"].startswith(prefix) for page in pages for t in page["things"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.add_things_key_sources")
    parser.add_argument("--things", type=int, default=1000)
    parser.add_argument("--bulk-things", type=int, default=10_000)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.things, args.bulk_things), indent=2))


if __name__ == "__main__":
    main()
