"""Benchmarks (a) and (e): `zaws --local add-things` of 1000 things against the original's way.

In one run, on one emulator (bench/emulator.py): first the baseline (bench/baseline_original.py:
four `aws` processes per thing, on a sample of 30), then `zaws --local -J add-things` of 1000 as a
child process, timed from its start (interpreter start-up included), with its peak RSS from
`wait4`. Checks that the 1000 things exist remotely and locally.

    python -m bench.add_things [--things 1000] [--baseline-things 30] [--workers N]

Targets (issue 3): >= 35 things/s, >= 10x the baseline, peak memory <= 150 MB.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench import baseline_original
from bench.emulator import running_emulator
from bench.local_aws import iot_client
from bench.zaws_cli import make_project, zaws


def run(things: int, baseline_things: int, workers: int | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="zaws-bench-") as work:
        home, folder = Path(work) / "home", Path(work)
        with running_emulator(home) as url:
            baseline = baseline_original.run(
                url, baseline_things, folder / "baseline", "bench-policy", "baseline"
            )
            project = make_project(home, folder, "bench-policy", local_args=("--local",))
            extra = ["--workers", str(workers)] if workers else []
            command = ["--local", "add-things", str(project), "--thing-base-name", "dev"]
            ours = zaws(*command, "--things-number", str(things), *extra, home=home)
            remote = _remote_things(url, "dev_")
        local = len(list((project / ".aws_things_resources").iterdir()))
    rate = things / ours.seconds
    return {
        "benchmark": "add_things",
        "things": things,
        "seconds": round(ours.seconds, 3),
        "operation_seconds": ours.result["seconds"],
        "things_per_second": round(rate, 2),
        "peak_rss_mb": round(ours.peak_rss_mb, 1),
        "remote_things": remote,
        "local_things": local,
        "baseline": baseline,
        "speedup": round(rate / float(baseline["things_per_second"]), 1),  # type: ignore[arg-type]
        "targets_met": {
            "35_things_per_second": rate >= 35,
            "10x_baseline": rate >= 10 * float(baseline["things_per_second"]),  # type: ignore[arg-type]
            "150_mb": ours.peak_rss_mb <= 150,
            "all_things": remote == local == things,
        },
    }


def _remote_things(url: str, prefix: str) -> int:
    pages = iot_client(url).get_paginator("list_things").paginate()
    return sum(t["thingName"].startswith(prefix) for page in pages for t in page["things"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.add_things")
    parser.add_argument("--things", type=int, default=1000)
    parser.add_argument("--baseline-things", type=int, default=30)
    parser.add_argument("--workers", type=int, help="zaws add-things --workers")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.things, args.baseline_things, args.workers), indent=2))


if __name__ == "__main__":
    main()
