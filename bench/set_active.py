"""Benchmark (d): wall time of one `zaws set-active-thing` call, interpreter start-up included.

It runs once per device on a production line, so its start-up is what matters. A project gets a
few things (`zaws --local add-things`, not timed); then `zaws set-active-thing PROJECT --thing-id N`
is run repeatedly on alternating things, with hyperfine when it is installed, otherwise as a loop
of child processes timed here.

    python -m bench.set_active [--runs 30] [--things 5]

Target (issue 3): <= 150 ms per call.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.emulator import running_emulator
from bench.zaws_cli import ZAWS, make_project, zaws


def _hyperfine(project: Path, runs: int, things: int) -> list[float]:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
            ["hyperfine", "--warmup", "3", "--runs", str(runs), "--export-json", report.name,
             "--parameter-scan", "id", "0", str(things - 1),
             f"{ZAWS} set-active-thing {project} --thing-id {{id}}"],
            check=True, capture_output=True,
        )  # fmt: skip
        results = json.loads(Path(report.name).read_text())["results"]
    return [t for result in results for t in result["times"]]


def _loop(project: Path, runs: int, things: int) -> list[float]:
    times = []
    for i in range(runs + 3):
        command = [ZAWS, "set-active-thing", str(project), "--thing-id", str(i % things)]
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        if i >= 3:  # warm-up: the first runs fill the page cache
            times.append(time.perf_counter() - started)
    return times


def run(runs: int, things: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="zaws-bench-") as work:
        home = Path(work) / "home"
        with running_emulator(home) as _:
            project = make_project(home, Path(work), "bench-policy", local_args=("--local",))
            add = ["--local", "add-things", str(project), "--thing-base-name", "dev"]
            zaws(*add, "--things-number", str(things), home=home)
        tool = "hyperfine" if shutil.which("hyperfine") else "subprocess loop"
        times = (_hyperfine if tool == "hyperfine" else _loop)(project, runs, things)
    ms = sorted(t * 1000 for t in times)
    return {
        "benchmark": "set_active",
        "tool": tool,
        "runs": len(ms),
        "mean_ms": round(statistics.fmean(ms), 1),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
        "min_ms": round(ms[0], 1),
        "targets_met": {"150_ms": statistics.median(ms) <= 150},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.set_active")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--things", type=int, default=5)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.runs, args.things), indent=2))


if __name__ == "__main__":
    main()
