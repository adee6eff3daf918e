"""The session's life: initialize (settings, the workspace's projects), initialized (start watching,
check the projects' files on disk), settings changes, shutdown (stop the operations in flight, the
simulated devices and the subscriptions).

Settings arrive as initialization options and with `workspace/didChangeConfiguration`, either
pushed in the notification (`{"zaws": {...}}`) or, when it carries none, pulled with
`workspace/configuration` if the client supports it.
"""

from __future__ import annotations

import importlib
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import to_fs_path

from zaws import long_lived
from zaws.lsp import attrs_code_cache
from zaws.lsp.documents import projects_in

if TYPE_CHECKING:
    from zaws.lsp.server import ZawsLanguageServer

log = logging.getLogger(__name__)


def register(server: ZawsLanguageServer) -> None:
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
    server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)(did_change_workspace_folders)
    server.feature(types.SHUTDOWN)(shutdown)


def initialize(ls: ZawsLanguageServer, params: types.InitializeParams) -> None:
    apply_settings(ls, params.initialization_options)
    folders = [folder.uri for folder in params.workspace_folders or []]
    if not folders and params.root_uri:
        folders.append(params.root_uri)
    for uri in folders:
        _watch_folder(ls, uri)


def initialized(ls: ZawsLanguageServer, params: types.InitializedParams) -> None:
    threading.Thread(target=_warm_up, name="zaws-warm-up", daemon=True).start()
    ls.watcher.start()
    for root in ls.watcher.watched():
        ls.diagnostics.check_project(root)


async def did_change_configuration(
    ls: ZawsLanguageServer, params: types.DidChangeConfigurationParams
) -> None:
    settings: Any = params.settings
    if settings is None and _client_has_configuration(ls):
        answer = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section="zaws")])
        )
        settings = answer[0] if answer else None
    apply_settings(ls, settings)
    ls.diagnostics.settings_changed()
    for root in ls.watcher.watched():
        ls.diagnostics.check_project(root)


def did_change_workspace_folders(
    ls: ZawsLanguageServer, params: types.DidChangeWorkspaceFoldersParams
) -> None:
    for folder in params.event.added:
        for root in _watch_folder(ls, folder.uri):
            ls.diagnostics.check_project(root)


def shutdown(ls: ZawsLanguageServer, params: Any) -> None:
    ls.cancel_all()
    ls.stop_background()
    ls.watcher.stop()
    attrs_code_cache.save()


def apply_settings(ls: ZawsLanguageServer, options: object) -> None:
    ls.settings, warnings = ls.settings.updated(options)
    for warning in warnings:
        log.warning("%s", warning)
        ls.window_log_message(
            types.LogMessageParams(type=types.MessageType.Warning, message=warning)
        )


def _warm_up() -> None:
    """Import what the first diagnostics and requests need, off the event loop, once the client
    has its `initialized` (start-up does not wait for them)."""
    for module in ("zaws.checks.local", "zaws.checks.remote", "zaws.project.thing_names"):
        importlib.import_module(module)
    attrs_code_cache.save()
    long_lived.settle()


def _watch_folder(ls: ZawsLanguageServer, uri: str) -> list[Path]:
    path = to_fs_path(uri) if uri.startswith("file:") else None
    roots = projects_in(Path(path)) if path else []
    for root in roots:
        ls.watcher.watch(root)
    return roots


def _client_has_configuration(ls: ZawsLanguageServer) -> bool:
    workspace = ls.client_capabilities.workspace
    return bool(workspace and workspace.configuration)
