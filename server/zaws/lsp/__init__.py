"""`zaws serve`: the language server (pygls) over stdio.

The zaws/* methods with work-done progress and cancellation, diagnostics and code lenses on
thing.conf.json, settings from the client, and `zaws/thingsChanged` when a project's things change.
Every feature is a thin adapter over `zaws.service` and `zaws.checks`.
"""

from zaws.lsp import attrs_code_cache

attrs_code_cache.install()  # before pygls and lsprotocol are imported
