"""The server's log keeps real failures and leaves out the errors that are requests' answers."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from pygls.exceptions import (
    FeatureNotificationError,
    FeatureRequestError,
    JsonRpcException,
    JsonRpcInternalError,
)

from tests.rpc.raw import RawServer
from zaws.lsp.logs import AnswersAreNotFailures, report_server_error


def record_with(error: BaseException) -> logging.LogRecord:
    try:
        raise error
    except BaseException:
        exc_info = sys.exc_info()
    return logging.LogRecord("pygls", logging.ERROR, __file__, 1, "failed", (), exc_info)


def test_the_filter_drops_answers_and_keeps_faults() -> None:
    keep = AnswersAreNotFailures().filter
    assert not keep(record_with(JsonRpcException(message="bad params", code=-32602)))
    assert keep(record_with(RuntimeError("a bug")))
    assert keep(record_with(JsonRpcInternalError(message="a bug, wrapped")))
    assert keep(logging.LogRecord("pygls", logging.WARNING, __file__, 1, "plain", (), None))


@pytest.mark.parametrize(
    ("error", "level"),
    [
        (JsonRpcException(message="not a project", code=-32012), logging.DEBUG),
        (JsonRpcInternalError(message="a bug"), logging.ERROR),
        (RuntimeError("a bug"), logging.ERROR),
    ],
)
def test_server_errors_are_logged_by_kind(
    caplog: pytest.LogCaptureFixture, error: Exception, level: int
) -> None:
    log = logging.getLogger("zaws.test")
    with caplog.at_level(logging.DEBUG, logger="zaws.test"):
        report_server_error(log, error, JsonRpcException)
    [record] = caplog.records
    assert record.levelno == level and str(error) in record.getMessage()


def failing_handler() -> None:
    raise RuntimeError("a bug in a handler")


def wrapped_fault() -> JsonRpcInternalError:
    try:
        failing_handler()
    except RuntimeError:
        return JsonRpcInternalError.of(sys.exc_info())
    raise AssertionError("failing_handler did not fail")


def test_a_notification_fault_is_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="zaws.test"):
        report_server_error(
            logging.getLogger("zaws.test"), wrapped_fault(), FeatureNotificationError
        )
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert (
        "a bug in a handler" in record.getMessage() and "in failing_handler" in record.getMessage()
    )


def test_a_request_fault_is_one_line_pygls_logged_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="zaws.test"):
        report_server_error(logging.getLogger("zaws.test"), wrapped_fault(), FeatureRequestError)
    [record] = caplog.records
    assert record.levelno == logging.ERROR and "failing_handler" not in record.getMessage()


def test_expected_request_errors_leave_the_log_quiet(zaws_home: Path, tmp_path: Path) -> None:
    log_file = tmp_path / "stderr.log"
    with log_file.open("wb") as stderr:
        server = RawServer(["serve"], zaws_home, cwd=tmp_path, stderr=stderr)
        initialize = {"processId": None, "rootUri": None, "capabilities": {}}
        server.send_json({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": initialize})
        assert "result" in server.response(0)
        requests = [
            {"projectUri": 42},
            {"projectUri": (tmp_path / "missing").as_uri()},
            {"projectUri": tmp_path.as_uri()},  # not a zaws project
        ]
        for request_id, params in enumerate(requests, start=1):
            server.send_json(
                {"jsonrpc": "2.0", "id": request_id, "method": "zaws/listThings", "params": params}
            )
            assert "error" in server.response(request_id)
        server.send_json({"jsonrpc": "2.0", "id": 9, "method": "shutdown"})
        server.response(9)
        server.send_json({"jsonrpc": "2.0", "method": "exit"})
        assert server.close() == 0
    log = log_file.read_text()
    assert "Traceback" not in log and " ERROR " not in log, log
