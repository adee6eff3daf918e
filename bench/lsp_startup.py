"""Start-up of `zaws serve` to `initialized`: process start to the initialize response, then the
`initialized` notification sent. Target: at most 0.6 s. The server's CPU time is shown too: on a
busy machine the wall time mostly measures the other processes.

    .venv/bin/python bench/lsp_startup.py [RUNS]
"""

from __future__ import annotations

import sys
import tempfile

from lsp_common import LspProcess, load_note, summary


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    times, cpu = [], []
    with tempfile.TemporaryDirectory() as home:
        for _ in range(runs):
            server = LspProcess(env={"ZAWS_HOME": home})
            times.append(server.initialize({"local": True}))
            cpu.append(server.cpu_seconds())
            server.close()
    print(summary("start-up to initialized (wall)", times, target_ms=600), load_note())
    print(summary("start-up to initialized (server CPU time)", cpu))


if __name__ == "__main__":
    main()
