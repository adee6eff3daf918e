"""Run the `zaws` CLI and SIGKILL it at an exact moment, for the crash-safety tests.

`python tests/support/kill_at.py before-call.iot.CreateKeysAndCertificate 3 -- add-things ...`
kills the process just before its 3rd CreateKeysAndCertificate request is sent; `after-call...`
kills it just after the 3rd response arrived, before zaws could act on it (for that call: the
certificate exists in AWS, its private key is in no file). The kill goes through botocore's own
event hooks on the real clients; no result is faked.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

from zaws.aws import clients


def install(event: str, nth: int) -> None:
    lock = threading.Lock()
    seen = [0]

    def maybe_kill(**_: Any) -> None:
        with lock:
            seen[0] += 1
            if seen[0] == nth:
                os.kill(os.getpid(), signal.SIGKILL)

    def hook(client: Any) -> None:
        client.meta.events.register(event, maybe_kill)

    clients.client_hooks.append(hook)


def main() -> None:
    event, nth, separator, *argv = sys.argv[1:]
    assert separator == "--", "usage: kill_at.py EVENT N -- zaws arguments"
    install(event, int(nth))
    sys.argv = ["zaws", *argv]
    from zaws.cli.main import main as zaws_main

    zaws_main()


if __name__ == "__main__":
    main()
