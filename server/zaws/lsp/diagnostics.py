"""Diagnostics on thing.conf.json: open documents on every change, closed ones from disk.

Local checks run on one worker thread, in order, so a slow check never blocks the event loop and
an older result never overwrites a newer one. Remote checks run on another thread and only fill a
cache; when they answer, the document is checked again and the cached facts join the local findings.
The project's main.py (the editor's text when it is open) is read on each check: its topics are
decided locally against the cached policies (checks/topic_permissions), and a change to main.py
checks its project's thing.conf.json again.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from zaws.lsp.documents import config_path, config_uri, main_py_project, open_document
from zaws.lsp.positions import LineIndex
from zaws.service.settings import ServerSettings

if TYPE_CHECKING:
    from zaws.checks.aws_probe import AwsProbe
    from zaws.checks.finding import Finding
    from zaws.checks.jsonscan import ObjectNode
    from zaws.checks.remote import RemoteCache, RemoteFacts, RemoteQuery
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
        elif (root := main_py_project(uri)) is not None:
            self.check_project(root)

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

    def remote_changed(self, root: Path) -> None:
        """AWS changed under a project (a policy fixed): fetch its facts again; on the loop."""
        self.remote_cache.clear()
        self.check_project(root)

    def _check(self, uri: str, path: Path) -> None:
        workspace = self.server.workspace_or_none()
        document = open_document(workspace, path)
        text = document.source if document is not None else None
        version = document.version if document is not None else None
        encoding = encoding_name(workspace.position_encoding) if workspace is not None else ""
        generation = self._generation[uri] = self._generation.get(uri, 0) + 1
        settings = self.server.settings
        main_py = open_main_py(workspace, path.parent)
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(
            self.local, self._compute, uri, path, text, settings, encoding, main_py
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
        self,
        uri: str,
        path: Path,
        text: str | None,
        settings: ServerSettings,
        encoding: str,
        main_py: str | None = None,
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
                findings += _topic_findings(result.root, facts, path.parent, main_py)
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


def open_main_py(workspace: object, root: Path) -> str | None:
    """The editor's text of the project's main.py when it is open (read on the loop)."""
    documents = getattr(workspace, "text_documents", None) or {}
    wanted = root.resolve()
    for document_uri, document in documents.items():
        found = main_py_project(document_uri)
        if found is not None and found.resolve() == wanted:
            source: str = document.source
            return source
    return None


def _topic_findings(
    root: ObjectNode, facts: RemoteFacts, project: Path, main_py: str | None
) -> list[Finding]:
    from zaws.checks.device_topics import topic_uses
    from zaws.checks.topic_permissions import topic_findings

    if facts.policies is None:
        return []
    if main_py is None:
        try:
            main_py = (project / "main.py").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
    return topic_findings(root, topic_uses(main_py), list(facts.policies))


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
            data=finding.data,
        )
        for finding in findings
    ]
