"""Start-up of `zaws serve` to `initialized`: process start to the initialize response, then the
`initialized` notification sent. Target: at most 0.6 s. The client sends what VS Code sends
(`--bare`: a minimal initialize). The server's CPU time is shown too: on a busy machine the wall
time mostly measures the other processes.

`--server floor` times a pygls server with no features instead (bench/pygls_floor_server.py), and
`--server floor-speedups` the same with zaws's two start-up measures: what pygls itself costs here.

    .venv/bin/python bench/lsp_startup.py [RUNS] [--bare] [--server zaws|floor|floor-speedups]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from lsp_common import LspProcess, load_note, summary, vscode_client

FLOOR = str(Path(__file__).with_name("pygls_floor_server.py"))
SERVERS = {
    "zaws": ("-m", "zaws", "serve"),
    "floor": (FLOOR,),
    "floor-speedups": (FLOOR, "--zaws-speedups"),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", type=int, nargs="?", default=15)
    parser.add_argument("--bare", action="store_true", help="a minimal initialize")
    parser.add_argument("--server", choices=SERVERS, default="zaws")
    args = parser.parse_args()
    client = None if args.bare else vscode_client()
    times, cpu = [], []
    with tempfile.TemporaryDirectory() as home:
        for _ in range(args.runs):
            server = LspProcess(env={"ZAWS_HOME": home}, command=SERVERS[args.server])
            times.append(server.initialize({"local": True}, client))
            cpu.append(server.cpu_seconds())
            server.close()
    who = f"{args.server}, {'a bare client' if client is None else 'VS Code initialize'}"
    print(f"{who}: " + summary("start-up to initialized (wall)", times, 600), load_note())
    print(summary("start-up to initialized (server CPU time)", cpu))


if __name__ == "__main__":
    main()
