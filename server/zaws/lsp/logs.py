"""The language server's log (stderr, VS Code's output channel): real failures with their
tracebacks, and nothing for the errors that are simply a request's answer.

pygls logs every failed request at ERROR with a traceback, including bad params, "not a zaws
project" and cancellations. The client already has those in the response and shows them to its
user; repeated in the log they bury the failures that matter. They are kept at DEBUG, one line.
"""

from __future__ import annotations

import logging
import sys

from pygls.exceptions import JsonRpcException, JsonRpcInternalError

PYGLS_REQUEST_LOGGER = "pygls.protocol.json_rpc"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class AnswersAreNotFailures(logging.Filter):
    """Drops records whose exception is a JSON-RPC error: the request's answer, not a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, JsonRpcException)


def configure(level: str) -> None:
    logging.basicConfig(stream=sys.stderr, level=level.upper(), format=FORMAT)
    logging.getLogger(PYGLS_REQUEST_LOGGER).addFilter(AnswersAreNotFailures())


def report_server_error(log: logging.Logger, error: Exception, source: object) -> None:
    """pygls' error hook: an answered request at DEBUG, anything else at ERROR (pygls wraps a
    handler's unexpected exception in JsonRpcInternalError: that one is a fault)."""
    what = getattr(source, "__name__", source)
    answer = isinstance(error, JsonRpcException) and not isinstance(error, JsonRpcInternalError)
    level = logging.DEBUG if answer else logging.ERROR
    log.log(level, "%s: %s", what, error)
