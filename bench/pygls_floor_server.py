"""The least a pygls server does before answering `initialize`: pygls and lsprotocol imported, a
LanguageServer with no features, stdio. `bench/lsp_startup.py --server floor` starts it as it
starts `zaws serve`, to show how much of zaws's start-up is pygls's own.

    python bench/pygls_floor_server.py [--zaws-speedups]

--zaws-speedups: the same two measures as `zaws serve` (the attrs code cache; no garbage
collection during the imports), for the floor any pygls server could reach with them.
"""

from __future__ import annotations

import atexit
import sys

if "--zaws-speedups" in sys.argv:
    from zaws import long_lived

    with long_lived.imports():  # as `zaws serve`: the attrs code cache is installed inside
        from zaws.lsp import attrs_code_cache  # installs itself

        atexit.register(attrs_code_cache.save)
        from pygls.lsp.server import LanguageServer
else:
    from pygls.lsp.server import LanguageServer

LanguageServer("floor", "0").start_io()
