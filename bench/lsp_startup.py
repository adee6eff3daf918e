"""Start-up of `zaws serve` to `initialized`: process start to the initialize response, then the
`initialized` notification sent. Target: at most 0.6 s. The client sends what VS Code sends
(`--bare`: a minimal initialize). The server's CPU time is shown too: on a busy machine the wall
time mostly measures the other processes.

    .venv/bin/python bench/lsp_startup.py [RUNS] [--bare]
"""

from __future__ import annotations

import sys
import tempfile

from lsp_common import LspProcess, load_note, summary, vscode_client


def main() -> None:
    args = [arg for arg in sys.argv[1:] if arg != "--bare"]
    runs = int(args[0]) if args else 15
    client = None if "--bare" in sys.argv else vscode_client()
    times, cpu = [], []
    with tempfile.TemporaryDirectory() as home:
        for _ in range(runs):
            server = LspProcess(env={"ZAWS_HOME": home})
            times.append(server.initialize({"local": True}, client))
            cpu.append(server.cpu_seconds())
            server.close()
    who = "a bare client" if client is None else "VS Code's initialize"
    print(f"{who}: " + summary("start-up to initialized (wall)", times, 600), load_note())
    print(summary("start-up to initialized (server CPU time)", cpu))


if __name__ == "__main__":
    main()
