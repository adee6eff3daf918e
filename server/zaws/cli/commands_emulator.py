"""`zaws emulator start|stop|status`: the embedded local AWS."""

from __future__ import annotations

from typing import Any

import click

from zaws.aws.settings import zaws_home
from zaws.cli.main import Invocation, cli

JSON_OPTION = click.option(
    "-J", "--json", "as_json", is_flag=True, default=None, help="Print the result as JSON."
)


@cli.group()
def emulator() -> None:
    """The embedded local AWS emulator (moto) used by --local."""


def _mqtt_line(mqtt: dict[str, Any] | None) -> str:
    if not mqtt:
        return "No MQTT endpoint (see emulator.log in the emulator's folder)"
    websocket = f", MQTT over WebSocket on port {mqtt['ws_port']}" if mqtt.get("ws_port") else ""
    return (
        f"MQTT endpoint {mqtt['host']}:{mqtt['port']} (mutual TLS{websocket}), "
        f"server name {mqtt['server_name']}, trust {mqtt['ca_file']}"
    )


def _report(ctx: click.Context, as_json: bool | None, state: Any, first_line: str) -> None:
    run = Invocation(ctx, {"as_json": as_json})
    run.output.result(state.to_dict(), [first_line, _mqtt_line(state.mqtt), state.url or ""])


@emulator.command()
@JSON_OPTION
@click.pass_context
def start(ctx: click.Context, /, as_json: bool | None) -> None:
    """Start the emulator (if needed); its URL is the last line."""
    from zaws.emulator import control

    state = control.start(zaws_home())
    where = zaws_home() / "emulator"
    _report(ctx, as_json, state, f"Emulator running (pid {state.pid}); state kept in {where}")


@emulator.command()
def stop() -> None:
    """Stop the emulator; its state is saved for the next start."""
    from zaws.emulator import control

    stopped = control.stop(zaws_home())
    click.echo("Emulator stopped; state saved" if stopped else "Emulator was not running")


@emulator.command()
@JSON_OPTION
@click.pass_context
def status(ctx: click.Context, /, as_json: bool | None) -> None:
    """Say whether the emulator runs; its URL is the last line."""
    from zaws.emulator import control

    state = control.status(zaws_home())
    if state.running:
        _report(ctx, as_json, state, f"Emulator running (pid {state.pid})")
        return
    run = Invocation(ctx, {"as_json": as_json})
    run.output.result(state.to_dict(), ["Emulator not running"])
    raise SystemExit(3)
