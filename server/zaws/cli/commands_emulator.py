"""`zaws emulator start|stop|status`: the embedded local AWS."""

from __future__ import annotations

import click

from zaws.aws.settings import zaws_home
from zaws.cli.main import cli


@cli.group()
def emulator() -> None:
    """The embedded local AWS emulator (moto) used by --local."""


@emulator.command()
def start() -> None:
    """Start the emulator (if needed) and print its URL."""
    from zaws.emulator import control

    state = control.start(zaws_home())
    click.echo(f"Emulator running (pid {state.pid}); state kept in {zaws_home() / 'emulator'}")
    click.echo(state.url)


@emulator.command()
def stop() -> None:
    """Stop the emulator; its state is saved for the next start."""
    from zaws.emulator import control

    stopped = control.stop(zaws_home())
    click.echo("Emulator stopped; state saved" if stopped else "Emulator was not running")


@emulator.command()
def status() -> None:
    """Say whether the emulator runs; its URL is the last line."""
    from zaws.emulator import control

    state = control.status(zaws_home())
    if state.running:
        click.echo(f"Emulator running (pid {state.pid})")
        click.echo(state.url)
    else:
        click.echo("Emulator not running")
        raise SystemExit(3)
