"""`zaws rpc`: read framed requests from stdin, write framed responses to stdout, one at a time.

Settings come from the command line (`--profile`, `--region`, `--endpoint-url`, `--local`) and the
environment (ZAWS_LOCAL, AWS_PROFILE, AWS_REGION, ZAWS_HOME), as for the CLI. Logs go to stderr.
Simulated devices and subscriptions send their notifications from their own threads through the
same (locked) writer; all of them stop when the input ends or SIGTERM comes.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Sequence
from typing import Any, BinaryIO

from zaws.rpc.dispatch import INVALID_REQUEST, RpcDispatcher, error_response
from zaws.rpc.framing import DEFAULT_LIMIT, FrameWriter, read_frame
from zaws.rpc.termination import exit_on_sigterm
from zaws.service.notification_params import Notify
from zaws.service.settings import ServerSettings

log = logging.getLogger("zaws.rpc")


def serve(dispatcher: RpcDispatcher, stdin: BinaryIO, writer: FrameWriter, limit: int) -> None:
    """Answer every frame until the input ends."""
    import json

    while (frame := read_frame(stdin, limit)) is not None:
        if frame.error is not None:
            answer = error_response(frame.request_id, INVALID_REQUEST, frame.error)
            writer.write(json.dumps(answer).encode("utf-8"))
            continue
        response = dispatcher.handle(frame.body)
        if response is not None:
            writer.write(response)


def main(argv: Sequence[str] = ()) -> None:
    """`zaws rpc`: the zaws/* methods as plain JSON-RPC 2.0 on stdin/stdout."""
    parser = argparse.ArgumentParser(prog="zaws rpc", description=main.__doc__)
    parser.add_argument("--profile")
    parser.add_argument("--region")
    parser.add_argument("--endpoint-url")
    parser.add_argument("--local", action="store_true", default=None)
    parser.add_argument("--max-message-bytes", type=int, default=DEFAULT_LIMIT)
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(list(argv))
    logging.basicConfig(stream=sys.stderr, level=args.log_level.upper())
    settings = ServerSettings(
        profile=args.profile, region=args.region, endpoint_url=args.endpoint_url, local=args.local
    )
    stdin, writer = sys.stdin.buffer, FrameWriter(sys.stdout.buffer)
    sys.stdout = sys.stderr  # a stray print must never corrupt the protocol stream
    dispatcher = RpcDispatcher(settings, notify=notifier(writer))
    exit_on_sigterm()
    try:
        with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
            serve(dispatcher, stdin, writer, args.max_message_bytes)
    finally:
        dispatcher.background.stop_all()


def notifier(writer: FrameWriter) -> Notify:
    """JSON-RPC notifications on `writer`, from any thread; a closed output drops them."""
    import json

    def notify(method: str, params: dict[str, Any]) -> None:
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        try:
            writer.write(json.dumps(message).encode("utf-8"))
        except (OSError, ValueError):  # the client went away: the devices stop with the input
            log.debug("a %s notification went nowhere: the output is closed", method)

    return notify
