"""`zaws device check|run`: simulated devices, and whether a thing's board would connect.

The operations (`operations.device_check`, `operations.device_run`) do the work; this module
parses options and prints: the check's steps in words (exit 1 unless all passed), and the
devices' events one line each as they happen (one JSON object a line with -J).
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
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


@device.command("run")
@click.argument("project", type=PROJECT)
@click.option("--thing", "things", multiple=True, help="Run this thing (repeatable).")
@click.option("--all", "all_things", is_flag=True, help="Run every thing of the project.")
@click.option(
    "--every",
    type=click.FloatRange(min=0, min_open=True),
    help="Publish a sample every SECONDS (default: the template's 5).",
)
@click.option(
    "--for", "duration", type=click.FloatRange(min=0, min_open=True), help="Stop after SECONDS."
)
@click.option(
    "--fota-result",
    type=click.Choice(["succeed", "fail-md5", "reject"]),
    default="succeed",
    show_default=True,
    help="How the devices end FOTA jobs: as asked, with a corrupted download, or REJECTED.",
)
@aws_options
@click.pass_context
def run_command(
    ctx: click.Context,
    /,
    project: Path,
    things: tuple[str, ...],
    all_things: bool,
    every: float | None,
    duration: float | None,
    fota_result: str,
    **options: Any,
) -> None:
    """Run the things as Zerynth devices (the active thing by default) until Ctrl-C or --for."""
    from zaws.cli.output import counted
    from zaws.operations.device_run import FOTA_RESULTS, run_devices

    run = Invocation(ctx, options)
    as_json = run.output.as_json
    lock = threading.Lock()
    result = next(r for r in FOTA_RESULTS if r == fota_result)
    stop = threading.Event()
    with _stop_on_ctrl_c(stop):
        ran = run_devices(
            project,
            aws=run.aws(),
            on_event=lambda event: print_event(event, as_json=as_json, lock=lock),
            things=things,
            all_things=all_things,
            every=every,
            duration=duration,
            fota_result=result,
            stop=stop,
        )
    why = {"time": "time is up", "stopped": "stopped", "ended": "every device ended"}
    run.output.note(
        f"{counted(len(ran.things), 'device')} ran {ran.seconds:.1f} s ({why[ran.stopped_by]})"
    )


@contextmanager
def _stop_on_ctrl_c(stop: threading.Event) -> Iterator[None]:
    """First Ctrl-C: every device disconnects cleanly. Second: stop at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
