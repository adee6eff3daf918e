"""Diagnostics on thing.conf.json: open documents on every change, closed ones from disk.

Local checks run on one worker thread, in order, so a slow check never blocks the event loop and
an older result never overwrites a newer one. Remote checks run on another thread and only fill a
cache; when they answer, the document is checked again and the cached facts join the local findings.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from zaws.lsp.documents import config_path, config_uri, open_document
from zaws.lsp.positions import LineIndex
from zaws.service.settings import ServerSettings

if TYPE_CHECKING:
    from zaws.checks.aws_probe import AwsProbe
    from zaws.checks.finding import Finding
    from zaws.checks.remote import RemoteCache, RemoteQuery
    from zaws.lsp.server import ZawsLanguageServer

log = logging.getLogger(__name__)
SOURCE = "zaws"


class DiagnosticsEngine:
    def __init__(self, server: ZawsLanguageServer) -> None:
        self.server = server
        self.local = ThreadPoolExecutor(1, thread_name_prefix="zaws-checks")
        self.remote = ThreadPoolExecutor(1, thread_name_prefix="zaws-remote-checks")
        self._remote_cache: RemoteCache | None = None
        self._probe: tuple[str, AwsProbe] | None = None
        self._generation: dict[str, int] = {}

    def check_uri(self, uri: str) -> None:
        """Check a document (if it is a project's thing.conf.json) and publish; on the loop."""
        path = config_path(uri)
        if path is not None:
            self._check(uri, path)

    def check_project(self, root: Path) -> None:
        """Check a project's thing.conf.json, open or not; on the loop."""
        workspace = self.server.workspace_or_none()
        self._check(config_uri(workspace, root), root / "thing.conf.json")

    @property
    def remote_cache(self) -> RemoteCache:
        if self._remote_cache is None:
            from zaws.checks.remote import RemoteCache

            self._remote_cache = RemoteCache()
        return self._remote_cache

    def settings_changed(self) -> None:
        self.remote_cache.clear()
        self._probe = None

    def _check(self, uri: str, path: Path) -> None:
        workspace = self.server.workspace_or_none()
        document = open_document(workspace, path)
        text = document.source if document is not None else None
        version = document.version if document is not None else None
        encoding = encoding_name(workspace.position_encoding) if workspace is not None else ""
        generation = self._generation[uri] = self._generation.get(uri, 0) + 1
        settings = self.server.settings
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(
            self.local, self._compute, uri, path, text, settings, encoding
        )

        def publish(done: asyncio.Future[list[types.Diagnostic] | None]) -> None:
            if done.cancelled() or self._generation.get(uri) != generation:
                return
            if (error := done.exception()) is not None:
                log.error("checking %s failed: %s", path, error)
                return
            diagnostics = done.result()
            if diagnostics is None:
                return
            self.server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
            )

        future.add_done_callback(publish)

    def _compute(
        self, uri: str, path: Path, text: str | None, settings: ServerSettings, encoding: str
    ) -> list[types.Diagnostic] | None:
        # Imported here, on the checks' thread: the server starts without them.
        from zaws.checks.local import run_local_checks
        from zaws.checks.remote import RemoteQuery, remote_findings

        if text is None:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return []  # the file is gone: clear what was published
        result = run_local_checks(text, path, region=settings.effective_region())
        findings = list(result.findings)
        if settings.remote_checks and result.root is not None:
            query = RemoteQuery.from_document(result.root)
            key = settings.cache_key()
            facts = self.remote_cache.get(key, query)
            if facts is not None:
                findings += remote_findings(result.root, facts)
            if self.remote_cache.needs_fetch(key, query):
                self.remote.submit(self._fetch, uri, settings, query)
        return to_diagnostics(text, findings, encoding or None)

    def _fetch(self, uri: str, settings: ServerSettings, query: RemoteQuery) -> None:
        from zaws.checks.remote import gather

        key = settings.cache_key()
        try:
            facts = gather(self._probe_for(settings), query)
        except Exception:
            log.exception("remote checks failed")
            self.remote_cache.abandon(key, query)
            return
        self.remote_cache.store(key, query, facts)
        self.server.call_on_loop(self.check_uri, uri)

    def _probe_for(self, settings: ServerSettings) -> AwsProbe:
        key = settings.cache_key()
        if self._probe is None or self._probe[0] != key:
            from zaws.checks.aws_probe import AwsProbe

            self._probe = (key, AwsProbe(settings.aws()))
        return self._probe[1]


def encoding_name(encoding: object) -> str:
    """'utf-16' for PositionEncodingKind.Utf16 or 'utf-16'; '' when not negotiated."""
    value = getattr(encoding, "value", encoding)
    return value if isinstance(value, str) else ""


def to_diagnostics(
    text: str, findings: list[Finding], encoding: str | None
) -> list[types.Diagnostic]:
    index = LineIndex(text, encoding)
    return [
        types.Diagnostic(
            range=index.range(finding.start, finding.end),
            severity=types.DiagnosticSeverity(int(finding.severity)),
            code=finding.code,
            source=SOURCE,
            message=finding.message,
        )
        for finding in findings
    ]
