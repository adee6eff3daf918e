"""Work-done progress for one long request, and its cancel button.

The token is the client's (`workDoneToken` in the params) or one the server creates with
`window/workDoneProgress/create` when the client supports it. Operations report from worker
threads; every message is sent from the event loop. The progress cancel button sets the request's
`Cancellation`, as `$/cancelRequest` does.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from zaws.operations.progress import Cancellation, ProgressReport

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger(__name__)
MIN_INTERVAL_S = 0.1


class WorkDone:
    def __init__(self, server: LanguageServer, token: str | int, cancel: Cancellation) -> None:
        self.server = server
        self.token = token
        self.loop = asyncio.get_running_loop()
        self._last_percentage = -1
        self._last_sent = 0.0
        tokens = server.work_done_progress.tokens
        tokens[token] = Future()  # a reused token must not arrive already cancelled
        tokens[token].add_done_callback(lambda future: _on_done(future, cancel))

    @classmethod
    async def start(
        cls, server: LanguageServer, params: Any, title: str, cancel: Cancellation
    ) -> WorkDone | None:
        """Begin progress on the client's token, or a new one; None when the client has none."""
        token = params.get("workDoneToken") if isinstance(params, dict) else None
        if not _valid_token(token):
            if not _client_creates_progress(server):
                return None
            token = f"zaws-{uuid.uuid4()}"
            try:
                await server.work_done_progress.create_async(token)
            except Exception as err:  # the client refused or failed: run without progress
                log.info("no progress: the client refused a token: %s", err)
                return None
        assert isinstance(token, str | int)
        progress = cls(server, token, cancel)
        server.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title=title, cancellable=True, percentage=0)
        )
        return progress

    def report(self, report: ProgressReport) -> None:
        """A ProgressCallback: callable from any thread; throttled to what a person can read."""
        percentage = min(100, report.done * 100 // report.total) if report.total > 0 else 0
        now = time.monotonic()
        if percentage == self._last_percentage and now - self._last_sent < MIN_INTERVAL_S:
            return
        self._last_percentage, self._last_sent = percentage, now
        value = types.WorkDoneProgressReport(
            message=report.message, percentage=percentage, cancellable=True
        )
        self.loop.call_soon_threadsafe(self.server.work_done_progress.report, self.token, value)

    def end(self, message: str) -> None:
        """Called on the event loop when the request is over."""
        self.server.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
        self.server.work_done_progress.tokens.pop(self.token, None)


def _on_done(future: Future[Any], cancel: Cancellation) -> None:
    if future.cancelled():  # the client's cancel button
        cancel.cancel()


def _valid_token(token: object) -> bool:
    return isinstance(token, str) or (isinstance(token, int) and not isinstance(token, bool))


def _client_creates_progress(server: LanguageServer) -> bool:
    try:
        window = server.client_capabilities.window
    except AttributeError:  # no initialize yet
        return False
    return bool(window and window.work_done_progress)
