"""`python -m zaws`: `serve` (language server), `rpc` (plain JSON-RPC), else the command line.

The two servers are dispatched before anything else is imported, so they start without click,
rich or boto3 (the language server must reach `initialized` fast; it also imports its protocol
classes without the garbage collector: `zaws.long_lived`).
"""

from __future__ import annotations

import sys

from zaws import long_lived


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "serve":
        with long_lived.imports():
            from zaws.lsp.server import main as serve

        serve(sys.argv[2:])
    elif command == "rpc":
        from zaws.rpc.stdio import main as rpc

        rpc(sys.argv[2:])
    else:
        from zaws.cli.main import main as cli

        cli()


if __name__ == "__main__":
    main()
