"""Benchmark (b): `zaws --local iot-cleanup` of 1000 things against one thing at a time.

One emulator, one account size at a time: first the baseline (bench/baseline_cleanup.py makes its
things, then deletes them one call at a time), then a project gets 1000 things from
`zaws add-things` (not timed) and `zaws --local -J iot-cleanup --yes` is timed as a child process.
Checks that nothing is left remotely.

    python -m bench.cleanup [--things 1000] [--baseline-things 1000] [--workers N]

Target (issue 3): >= 60 things/s.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench import baseline_cleanup
from bench.emulator import running_emulator
from bench.local_aws import iot_client
from bench.zaws_cli import make_project, zaws


def run(things: int, baseline_things: int, workers: int | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="zaws-bench-") as work:
        home = Path(work) / "home"
        with running_emulator(home) as url:
            baseline = baseline_cleanup.run(url, baseline_things, "bench-policy", "baseline")
            project = make_project(home, Path(work), "bench-policy", local_args=("--local",))
            add = ["--local", "add-things", str(project), "--thing-base-name", "dev"]
            zaws(*add, "--things-number", str(things), home=home)
            extra = ["--workers", str(workers)] if workers else []
            ours = zaws("--local", "iot-cleanup", str(project), "--yes", *extra, home=home)
            iot = iot_client(url)
            left = sum(len(p["things"]) for p in iot.get_paginator("list_things").paginate())
            certificates = sum(
                len(p["certificates"]) for p in iot.get_paginator("list_certificates").paginate()
            )
    rate = things / ours.seconds
    return {
        "benchmark": "cleanup",
        "things": things,
        "seconds": round(ours.seconds, 3),
        "things_per_second": round(rate, 2),
        "things_left": left,
        "certificates_left": certificates,
        "baseline": baseline,
        "speedup": round(rate / float(baseline["things_per_second"]), 1),  # type: ignore[arg-type]
        "targets_met": {
            "60_things_per_second": rate >= 60,
            "nothing_left": left == certificates == 0,
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cleanup")
    parser.add_argument("--things", type=int, default=1000)
    parser.add_argument("--baseline-things", type=int, default=1000)
    parser.add_argument("--workers", type=int, help="zaws iot-cleanup --workers")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.things, args.baseline_things, args.workers), indent=2))


if __name__ == "__main__":
    main()
