"""A real LSP client (pytest-lsp) driving `python -m zaws serve` in local mode.

`session` starts one server per test, initialises it as VS Code would (with the zaws settings as
initialization options), and offers what the tests read like: requests with plain-dict results,
opening and changing documents, waiting for diagnostics, `zaws/thingsChanged` or the notifications
of simulated devices and subscriptions (`notified`).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, cast

import pytest
import pytest_asyncio
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

from tests.protocol.fota import fota_setup
from zaws.aws.settings import AwsSettings
from zaws.service.uris import uri_from_path

THINGS_CHANGED = "zaws/thingsChanged"
FOTA_JOBS_CHANGED = "zaws/fotaJobsChanged"
DIAGNOSTICS = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
BACKGROUND_NOTIFICATIONS = ("zaws/deviceEvent", "zaws/message", "zaws/subscriptionEnded")


def plain(value: Any) -> Any:
    """pygls gives custom results as (nested) namedtuples: turn them into dicts and lists."""
    if hasattr(value, "_asdict"):
        return {key: plain(item) for key, item in value._asdict().items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


class Session:
    """One client/server pair, as a test sees it."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.initialize_result: types.InitializeResult | None = None
        self.things_changed: list[dict[str, Any]] = []
        self._changed = asyncio.Event()
        self.fota_jobs_changed: list[dict[str, Any]] = []
        self._jobs_changed = asyncio.Event()
        self._versions: dict[str, int] = {}
        self.published: dict[str, types.PublishDiagnosticsParams] = {}
        self._published = asyncio.Event()
        self.notifications: dict[str, list[dict[str, Any]]] = {}
        self._notified = asyncio.Event()

    def on_notification(self, method: str, params: Any) -> None:
        self.notifications.setdefault(method, []).append(plain(params))
        self._notified.set()

    async def notified(
        self,
        method: str,
        wanted: Callable[[dict[str, Any]], bool] = lambda _: True,
        timeout: float = 30,
    ) -> dict[str, Any]:
        """The first `method` notification, received already or to come, that `wanted` accepts."""
        async with asyncio.timeout(timeout):
            while True:
                self._notified.clear()
                for params in self.notifications.get(method, []):
                    if wanted(params):
                        return params
                await self._notified.wait()

    def on_things_changed(self, params: Any) -> None:
        self.things_changed.append(plain(params))
        self._changed.set()

    def on_fota_jobs_changed(self, params: Any) -> None:
        self.fota_jobs_changed.append(plain(params))
        self._jobs_changed.set()

    async def next_fota_jobs_changed(self, timeout: float = 20) -> dict[str, Any]:
        """The first zaws/fotaJobsChanged not yet consumed."""
        async with asyncio.timeout(timeout):
            while not self.fota_jobs_changed:
                self._jobs_changed.clear()
                await self._jobs_changed.wait()
        return self.fota_jobs_changed.pop(0)

    async def request(self, method: str, params: Any = None, msg_id: Any = None) -> Any:
        protocol = self.client.protocol
        result = await protocol.send_request_async(  # type: ignore[no-untyped-call]
            method, params, msg_id=msg_id
        )
        return plain(result)

    def open(self, path: Path, text: str | None = None) -> str:
        uri = uri_from_path(path)
        self._versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri,
                    language_id="json",
                    version=1,
                    text=path.read_text() if text is None else text,
                )
            )
        )
        return uri

    def change(self, uri: str, text: str) -> None:
        self._versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self._versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    def on_diagnostics(self, params: types.PublishDiagnosticsParams) -> None:
        self.published[params.uri] = params
        self._published.set()

    def version(self, uri: str) -> int:
        return self._versions[uri]

    async def diagnostics(
        self,
        uri: str,
        until: Callable[[Sequence[types.Diagnostic]], bool] = lambda _: True,
        *,
        version: int | None = None,
        timeout: float = 30,
    ) -> Sequence[types.Diagnostic]:
        """The latest diagnostics of `uri` once they are for `version` (if given) and satisfy
        `until`, whether they were published already or are published later."""
        async with asyncio.timeout(timeout):
            while True:
                self._published.clear()
                latest = self.published.get(uri)
                if (
                    latest is not None
                    and (version is None or latest.version == version)
                    and until(latest.diagnostics)
                ):
                    return list(latest.diagnostics)
                await self._published.wait()

    async def current_diagnostics(self, uri: str) -> Sequence[types.Diagnostic]:
        """The diagnostics of the document's current version."""
        return await self.diagnostics(uri, version=self._versions[uri])

    async def next_things_changed(self, timeout: float = 20) -> dict[str, Any]:
        """The first zaws/thingsChanged not yet consumed."""
        async with asyncio.timeout(timeout):
            while not self.things_changed:
                self._changed.clear()
                await self._changed.wait()
        return self.things_changed.pop(0)


def codes(diagnostics: Sequence[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


def server_env(zaws_home: Path) -> dict[str, str]:
    env = {**os.environ, "ZAWS_HOME": str(zaws_home), "ZAWS_LOCAL": "1"}
    env.pop("AWS_PROFILE", None)
    return env


async def start_session(
    zaws_home: Path,
    options: dict[str, Any] | None = None,
    workspace: Path | None = None,
    capabilities: types.ClientCapabilities | None = None,
) -> Session:
    holder: list[Session] = []

    def factory() -> LanguageClient:
        client = make_test_lsp_client()

        @client.feature(THINGS_CHANGED)  # type: ignore[untyped-decorator]
        def things_changed(params: Any) -> None:
            holder[0].on_things_changed(params)

        @client.feature(FOTA_JOBS_CHANGED)  # type: ignore[untyped-decorator]
        def fota_jobs_changed(params: Any) -> None:
            holder[0].on_fota_jobs_changed(params)

        for method in BACKGROUND_NOTIFICATIONS:
            client.feature(method)(_forward(holder, method))

        store = client.protocol.fm.features[DIAGNOSTICS]

        def diagnostics(params: types.PublishDiagnosticsParams) -> None:
            store(params)
            holder[0].on_diagnostics(params)

        client.protocol.fm.features[DIAGNOSTICS] = diagnostics

        return client

    config = ClientServerConfig(
        server_command=[sys.executable, "-m", "zaws", "serve", "--watch-interval", "0.1"],
        client_factory=factory,
        server_env=server_env(zaws_home),
    )
    client = cast(LanguageClient, await config.start())
    session = Session(client)
    holder.append(session)
    folders = (
        [types.WorkspaceFolder(uri=uri_from_path(workspace), name=workspace.name)]
        if workspace
        else None
    )
    session.initialize_result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities or client_capabilities("visual-studio-code"),
            initialization_options={
                "zaws": {"local": True, "remoteChecks": False, **(options or {})}
            },
            workspace_folders=folders,
        )
    )
    return session


def _forward(holder: list[Session], method: str) -> Callable[[Any], None]:
    def forward(params: Any) -> None:
        holder[0].on_notification(method, params)

    return forward


async def stop_session(session: Session) -> None:
    await session.client.shutdown_session()
    await session.client.stop()  # type: ignore[no-untyped-call]


@pytest_asyncio.fixture
async def session(aws: AwsSettings, zaws_home: Path) -> AsyncIterator[Session]:
    """A server in local mode on an emptied emulator; remote checks off."""
    started = await start_session(zaws_home)
    yield started
    await stop_session(started)


@pytest.fixture
def project_uri(project: Path) -> str:
    return uri_from_path(project)


__all__ = ["fota_setup"]
