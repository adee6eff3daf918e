"""Diagnostics latency: from a `didChange` of thing.conf.json to its `publishDiagnostics`, while
the server is idle and while it runs `zaws/addThings` of 1000 things on the embedded emulator
(edits continue for as long as the things are being added). Target: p95 at most 100 ms in both.

    .venv/bin/python bench/lsp_diagnostics_latency.py [EDITS] [THINGS]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from lsp_common import LspProcess, file_uri, load_note, summary


def edit_and_wait(server: LspProcess, uri: str, version: int, text: str) -> float:
    sent = server.send(
        {
            "method": "textDocument/didChange",
            "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            },
        }
    )
    at, _ = server.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )
    )
    return at - sent


def main() -> None:
    edits = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    things = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        server = LspProcess(env={"ZAWS_HOME": tmp})
        server.initialize({"local": True})
        server.response(server.request("zaws/createPolicy", {"name": "bench-policy"}))
        _, made = server.response(
            server.request(
                "zaws/createProject",
                {"name": "bench", "parentUri": file_uri(Path(tmp)), "policyName": "bench-policy"},
            )
        )
        project = Path(made["result"]["path"])
        config = project / "thing.conf.json"
        uri = file_uri(config)
        base = json.loads(config.read_text())
        server.send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {
                        "uri": uri,
                        "languageId": "json",
                        "version": 0,
                        "text": config.read_text(),
                    }
                },
            }
        )
        texts = [json.dumps(base, indent=4), json.dumps({**base, "polcy": "x"}, indent=4)]
        version = 0
        idle = []
        for n in range(edits):
            version += 1
            idle.append(edit_and_wait(server, uri, version, texts[n % 2]))
        print(summary("diagnostics latency, idle", idle, target_ms=100), load_note())

        adding = server.request(
            "zaws/addThings",
            {"projectUri": file_uri(project), "baseName": "b", "count": things},
        )
        busy = []
        while adding not in server.responses:  # edit for as long as the things are being added
            version += 1
            busy.append(edit_and_wait(server, uri, version, texts[version % 2]))
        _, done = server.response(adding)
        assert len(done["result"]["things"]) == things, done
        print(
            summary(f"diagnostics latency, during add-things of {things}", busy, target_ms=100),
            load_note(),
        )
        server.close()


if __name__ == "__main__":
    main()
