"""thing.conf.json in the editor: diagnostics on open, change, save and close; code lenses; the
quick fixes of policy_fixes.

Documents are synchronised in full (the file is small, and pygls' incremental edits split lines
differently from LSP). Opening a project's file also puts the project under watch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from zaws.lsp import policy_fixes
from zaws.lsp.code_lens import code_lenses
from zaws.lsp.diagnostics import encoding_name
from zaws.lsp.documents import config_path

if TYPE_CHECKING:
    from zaws.lsp.server import ZawsLanguageServer


def register(server: ZawsLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(did_open)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    server.feature(types.TEXT_DOCUMENT_DID_SAVE)(did_save)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(did_close)
    server.feature(types.TEXT_DOCUMENT_CODE_LENS)(code_lens)
    policy_fixes.register(server)


def did_open(ls: ZawsLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    path = config_path(params.text_document.uri)
    if path is not None:
        ls.watcher.watch(path.parent.resolve())
        ls.diagnostics.check_uri(params.text_document.uri)


def did_change(ls: ZawsLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.diagnostics.check_uri(params.text_document.uri)


def did_save(ls: ZawsLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.diagnostics.check_uri(params.text_document.uri)


def did_close(ls: ZawsLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    # The file on disk still has its problems: show those instead of the editor's.
    ls.diagnostics.check_uri(params.text_document.uri)


def code_lens(ls: ZawsLanguageServer, params: types.CodeLensParams) -> list[types.CodeLens]:
    uri = params.text_document.uri
    path = config_path(uri)
    if path is None:
        return []
    document = ls.workspace.get_text_document(uri)
    try:
        text = document.source
    except OSError:
        return []
    return code_lenses(text, path, encoding_name(ls.workspace.position_encoding) or None)
