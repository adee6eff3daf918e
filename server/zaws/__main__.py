"""`python -m zaws`: `serve` (language server), `rpc` (plain JSON-RPC), else the command line.

The two servers are dispatched before anything else is imported, so they start without click,
rich or boto3 (the language server must reach `initialized` fast).
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def long_lived_imports() -> Iterator[None]:
    """No garbage collection while importing modules whose objects live as long as the process.

    lsprotocol's import builds ~570 attrs classes: the collector runs dozens of times over objects
    that can never be garbage (about a fifth of the language server's start-up here). Afterwards
    they are frozen out of every later collection, as `gc.freeze` is meant for.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "serve":
        with long_lived_imports():
            from zaws.lsp.server import main as serve

        serve(sys.argv[2:])
    elif command == "rpc":
        with long_lived_imports():
            from zaws.rpc.stdio import main as rpc

        rpc(sys.argv[2:])
    else:
        from zaws.cli.main import main as cli

        cli()


if __name__ == "__main__":
    main()
