"""`zaws device check|run`: simulated devices, and whether a thing's board would connect.

The operations (`operations.device_check`, `operations.device_run`) do the work; this module
parses options and prints: the check's steps in words (exit 1 unless all passed), and the
devices' events one line each as they happen (one JSON object a line with -J).
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from zaws.cli.main import Invocation, aws_options, cli

if TYPE_CHECKING:
    from zaws.devices.events import DeviceEvent

PROJECT = click.Path(file_okay=False, path_type=Path)


@cli.group()
def device() -> None:
    """Simulated devices: run a project's things as the Zerynth library does, or check one."""


@device.command("check")
@click.argument("project", type=PROJECT)
@click.option("--thing", help="The thing to check (default: the active thing).")
@aws_options
@click.pass_context
def check_command(ctx: click.Context, /, project: Path, thing: str | None, **options: Any) -> None:
    """Connect once as the thing and try what its firmware does; exit 0 only if all works."""
    from zaws.operations.device_check import check_device

    run = Invocation(ctx, options)
    checked = check_device(project, aws=run.aws(), thing=thing)
    lines = [f"Thing {checked.thing} (client id {checked.client_id}) on {checked.endpoint}:"]
    for step in checked.steps:
        mark = "[green]ok[/]  " if step.ok else "[red]FAIL[/]"
        lines.append(f"  {mark} {step.name}: {step.words}")
        lines.extend(f"         {why}" for why in step.why)
    lines.extend(f"  {line}" for line in checked.authorization)
    verdict = "all works" if checked.ok else "the board would not do all its firmware does"
    lines.append(f"[{'green' if checked.ok else 'red'}]{verdict}[/]")
    run.output.result(checked.to_dict(), lines)
    if not checked.ok:
        sys.exit(1)


def print_event(event: DeviceEvent, *, as_json: bool, lock: threading.Lock) -> None:
    text = json.dumps(event.to_dict(), separators=(",", ":")) if as_json else event.line()
    with lock:
        click.echo(text)
        sys.stdout.flush()
