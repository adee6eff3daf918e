"""`zaws/listThings` on a 1000-thing project, round trip through the language server. Target: at
most 50 ms. The project is written straight to disk in the original's layout (listing reads only
the project's files), so no AWS is needed.

    .venv/bin/python bench/lsp_list_things.py [THINGS] [RUNS]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from lsp_common import LspProcess, file_uri, load_note, summary

FAKE_PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def write_project(root: Path, things: int) -> None:
    root.mkdir()
    (root / "thing.conf.json").write_text(
        json.dumps(
            {
                "endpoint": "abc-ats.iot.us-east-1.amazonaws.com",
                "policy_name": "p",
                "thingname": "dev_0",
                "mqttid": "dev_0",
                "cert_arn": "arn:aws:iot:us-east-1:123456789012:cert/0",
            }
        )
    )
    (root / ".zawsconf").write_text(
        json.dumps({"thing_base_name": "dev", "last_thing_id": things - 1, "active_thing_id": 0})
    )
    for index in range(things):
        folder = root / ".aws_things_resources" / f"dev_{index}"
        folder.mkdir(parents=True)
        arn = f"arn:aws:iot:us-east-1:123456789012:cert/{index:064x}"
        (folder / "thing.conf.json").write_text(
            json.dumps({"mqttid": f"dev_{index}", "thingname": f"dev_{index}", "cert_arn": arn})
        )
        (folder / "certificate.pem.crt").write_text(FAKE_PEM)
        (folder / "private.pem.key").write_text(FAKE_PEM)


def main() -> None:
    things = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "fleet"
        write_project(root, things)
        server = LspProcess(env={"ZAWS_HOME": tmp})
        server.initialize({"local": True, "remoteChecks": False})
        params = {"projectUri": file_uri(root)}
        times = []
        for run in range(runs + 1):
            started = time.perf_counter()
            at, message = server.response(server.request("zaws/listThings", params))
            assert len(message["result"]["things"]) == things, message
            if run:  # the first call warms the import of the operation
                times.append(at - started)
        server.close()
    print(summary(f"zaws/listThings, {things} things", times, target_ms=50), load_note())


if __name__ == "__main__":
    main()
