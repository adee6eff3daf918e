"""The language server's log (stderr, VS Code's output channel): real failures with their
tracebacks, and nothing for the errors that are simply a request's answer.

pygls logs every failed request at ERROR with a traceback, including bad params, "not a zaws
project" and cancellations. The client already has those in the response and shows them to its
user; repeated in the log they bury the failures that matter. They are kept at DEBUG, one line.
A notification handler that fails in the background, which pygls reports without its traceback,
gets it back.
"""

from __future__ import annotations

import logging
import sys

from pygls.exceptions import FeatureNotificationError, JsonRpcException, JsonRpcInternalError

PYGLS_REQUEST_LOGGER = "pygls.protocol.json_rpc"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def is_answer(error: BaseException | None) -> bool:
    """A JSON-RPC error that is a request's answer, not a fault (pygls wraps a handler's
    unexpected exception in JsonRpcInternalError: that one is a fault)."""
    return isinstance(error, JsonRpcException) and not isinstance(error, JsonRpcInternalError)


class AnswersAreNotFailures(logging.Filter):
    """Drops records whose exception is a request's answer."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not is_answer(record.exc_info[1] if record.exc_info else None)


def configure(level: str) -> None:
    logging.basicConfig(stream=sys.stderr, level=level.upper(), format=FORMAT)
    logging.getLogger(PYGLS_REQUEST_LOGGER).addFilter(AnswersAreNotFailures())


def report_server_error(log: logging.Logger, error: Exception, source: object) -> None:
    """pygls' error hook: an answer at DEBUG, a fault at ERROR (with the traceback pygls kept in
    the error's data when it logged none itself: a notification handler's)."""
    what = getattr(source, "__name__", source)
    if is_answer(error):
        log.debug("%s: %s", what, error)
        return
    trace = ""
    if source is FeatureNotificationError and isinstance(error, JsonRpcInternalError):
        data = error.data if isinstance(error.data, dict) else {}
        trace = "".join(data.get("traceback") or []).rstrip()
    if trace:
        log.error("%s: %s\nTraceback (most recent call last):\n%s", what, error, trace)
    else:
        log.error("%s: %s", what, error)
