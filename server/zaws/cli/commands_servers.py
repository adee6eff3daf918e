"""`zaws serve` (language server) and `zaws rpc` (plain JSON-RPC), both over stdio.

`zaws serve ...` and `zaws rpc ...` normally skip click altogether (see `entry.py`); these
commands are reached when global options come first (`zaws --local rpc`); `rpc` forwards them.
"""

from __future__ import annotations

from typing import Any

import click

from zaws.cli.main import cli

PASS_THROUGH = {"ignore_unknown_options": True, "allow_extra_args": True}


def server_arguments(ctx: click.Context) -> list[str]:
    options: dict[str, Any] = (ctx.parent.obj if ctx.parent else None) or {}
    argv: list[str] = []
    for name in ("profile", "region", "endpoint_url"):
        if options.get(name):
            argv += [f"--{name.replace('_', '-')}", str(options[name])]
    if options.get("local"):
        argv.append("--local")
    return [*argv, *ctx.args]


@cli.command(context_settings=PASS_THROUGH)
@click.pass_context
def serve(ctx: click.Context) -> None:
    """Run the language server on stdin/stdout (for editors)."""
    from zaws.lsp.server import main as serve_lsp

    serve_lsp(ctx.args)  # its AWS settings come from the editor (initializationOptions)


@cli.command(context_settings=PASS_THROUGH)
@click.pass_context
def rpc(ctx: click.Context) -> None:
    """Run the plain JSON-RPC server on stdin/stdout (for scripts)."""
    from zaws.rpc.stdio import main as serve_rpc

    serve_rpc(server_arguments(ctx))
