"""After shutdown the language server makes no Background: one made then would never be stopped,
so its devices would die at exit without a DISCONNECT."""

from __future__ import annotations

import pytest

from zaws.errors import OperationCancelled
from zaws.lsp.server import ZawsLanguageServer


def test_no_background_is_made_after_shutdown() -> None:
    server = ZawsLanguageServer()
    server.stop_background()  # shutdown, before any request needed the Background
    with pytest.raises(OperationCancelled, match="shutting down"):
        _ = server.background
    assert server._background is None
