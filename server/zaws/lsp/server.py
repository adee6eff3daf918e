"""The zaws language server: its state, its features, and `main()` (what `zaws serve` runs).

State is small: the settings, the operations in flight (to stop them at shutdown), the diagnostics
engine, the project watcher, and the simulated devices and subscriptions (`Background`, stopped at
shutdown and when the input ends; their notifications are sent from the event loop). Features live
in their own modules (`session`, `text_documents`, `requests`), each registering itself here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import Workspace

from zaws import __version__
from zaws.errors import OperationCancelled
from zaws.lsp import logs, requests, session, text_documents, transport
from zaws.lsp.diagnostics import DiagnosticsEngine
from zaws.lsp.protocol import ZawsProtocol
from zaws.lsp.watcher import ProjectWatcher
from zaws.operations.progress import Cancellation
from zaws.rpc.framing import DEFAULT_LIMIT
from zaws.rpc.termination import exit_on_sigterm
from zaws.service.settings import ServerSettings
from zaws.service.uris import uri_from_path

if TYPE_CHECKING:
    from zaws.service.background import Background

THINGS_CHANGED = "zaws/thingsChanged"
FOTA_JOBS_CHANGED = "zaws/fotaJobsChanged"
log = logging.getLogger("zaws.lsp")


class ZawsLanguageServer(LanguageServer):
    def __init__(self, watch_interval: float = 0.5) -> None:
        super().__init__(
            "zaws",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Full,
            protocol_cls=ZawsProtocol,
        )
        self.settings = ServerSettings()
        self.in_flight: set[Cancellation] = set()
        self.diagnostics = DiagnosticsEngine(self)
        self.watcher = ProjectWatcher(self._changed_on_disk, watch_interval)
        self.loop: asyncio.AbstractEventLoop | None = None
        self._background: Background | None = None  # made on first use: not at start-up
        self._background_lock = threading.Lock()
        self.shut_down = False  # after shutdown: background work is stopped and silent
        assert isinstance(self.protocol, ZawsProtocol)
        self.protocol.input_closed_callbacks.append(self.cancel_all)

    def workspace_or_none(self) -> Workspace | None:
        try:
            return self.workspace
        except RuntimeError:  # before initialize
            return None

    def call_on_loop(self, function: Callable[..., Any], *args: Any) -> None:
        """Run `function(*args)` on the event loop (from any thread)."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(function, *args)

    def cancel_all(self) -> None:
        for cancel in list(self.in_flight):
            cancel.cancel()

    def things_changed(self, root: Path) -> None:
        """Tell the client a project changed, and refresh what shows it; on the loop."""
        self.watcher.watch(root)
        self.watcher.acknowledge(root)
        self.protocol.notify(THINGS_CHANGED, {"projectUri": uri_from_path(root)})
        self.diagnostics.check_project(root)
        workspace = self.client_capabilities.workspace if self.workspace_or_none() else None
        if workspace and workspace.code_lens and workspace.code_lens.refresh_support:
            self.protocol.send_request(types.WORKSPACE_CODE_LENS_REFRESH, None)

    def fota_jobs_changed(self, root: Path) -> None:
        """Tell the client a project's FOTA jobs changed (started, cancelled, deleted)."""
        self.protocol.notify(FOTA_JOBS_CHANGED, {"projectUri": uri_from_path(root)})

    @property
    def background(self) -> Background:
        """The simulated devices and subscriptions (made by the first request that needs them,
        on a worker thread); after shutdown, refused: none would be stopped again."""
        with self._background_lock:
            if self.shut_down:
                raise OperationCancelled(
                    "The server is shutting down: no simulated device or subscription starts",
                    "start the server again (reopen the window)",
                )
            if self._background is None:
                from zaws.service.background import Background

                self._background = Background.create(self._notify_from_any_thread)
            return self._background

    def stop_background(self) -> None:
        """Every simulated device disconnects, every subscription closes; nothing more is sent."""
        with self._background_lock:
            self.shut_down = True
            background = self._background
        if background is not None:
            background.stop_all()

    def _notify_from_any_thread(self, method: str, params: dict[str, Any]) -> None:
        self.call_on_loop(self._notify_background, method, params)

    def _notify_background(self, method: str, params: dict[str, Any]) -> None:
        if not self.shut_down:
            self.protocol.notify(method, params)

    def report_server_error(self, error: Exception, source: Any) -> None:
        # Logged, not shown: a client sending junk must not fill its user's screen with pop-ups.
        logs.report_server_error(log, error, source)

    async def serve_stdio(self, limit: int = DEFAULT_LIMIT) -> None:
        self.loop = asyncio.get_running_loop()
        # Unbuffered stdin: a daemon thread blocked in a buffered read makes interpreter
        # shutdown abort ("could not acquire lock for <stdin>"); a raw read has no lock.
        stdin = open(sys.stdin.fileno(), "rb", buffering=0, closefd=False)  # noqa: SIM115
        stdout = sys.stdout.buffer
        sys.stdout = sys.stderr  # a stray print must never corrupt the protocol stream
        assert isinstance(self.protocol, ZawsProtocol)
        try:
            await transport.serve(self.protocol, stdin, stdout, limit)
        finally:
            self.watcher.stop()
            self.cancel_all()
            self.stop_background()

    def _changed_on_disk(self, root: Path) -> None:
        self.call_on_loop(self.things_changed, root)


def build_server(watch_interval: float = 0.5) -> ZawsLanguageServer:
    server = ZawsLanguageServer(watch_interval)
    session.register(server)
    text_documents.register(server)
    requests.register(server)
    return server


def main(argv: Sequence[str] = ()) -> None:
    """`zaws serve`: the language server on stdin/stdout; logs go to stderr."""
    parser = argparse.ArgumentParser(prog="zaws serve", description=main.__doc__)
    parser.add_argument("--max-message-bytes", type=int, default=DEFAULT_LIMIT)
    parser.add_argument("--watch-interval", type=float, default=0.5, help="seconds")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(list(argv))
    logs.configure(args.log_level)
    server = build_server(args.watch_interval)
    exit_on_sigterm()  # the simulated devices disconnect cleanly then too
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        asyncio.run(server.serve_stdio(args.max_message_bytes))
