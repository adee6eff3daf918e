"""`zaws mqtt subscribe|publish`: a test client for a project's MQTT endpoint.

The operations (`operations.mqtt_subscribe`, `operations.mqtt_publish`) connect and explain
refusals; this module parses options and formats: messages on stdout as they arrive (topic and
time, then the payload, JSON pretty-printed on a terminal; one JSON object a line with -J),
remarks on stderr.
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
from zaws.cli.output import counted

if TYPE_CHECKING:
    from zaws.mqtt.messages import Connected, MqttMessage, SubscriptionOutcome
    from zaws.operations.progress import Cancellation

PROJECT = click.Path(file_okay=False, path_type=Path)
THING_HELP = "Connect as this thing of the project (its certificate and client id)."


@cli.group()
def mqtt() -> None:
    """An MQTT test client: by default as your AWS identity, with --thing as a device."""


@mqtt.command("subscribe")
@click.argument("project", type=PROJECT)
@click.argument("filters", nargs=-1, required=True)
@click.option("--thing", help=THING_HELP)
@click.option("--count", type=click.IntRange(min=1), help="Stop after N messages.")
@click.option(
    "--for",
    "duration",
    type=click.FloatRange(min=0, min_open=True),
    help="Stop after SECONDS.",
)
@aws_options
@click.pass_context
def subscribe_command(
    ctx: click.Context,
    /,
    project: Path,
    filters: tuple[str, ...],
    thing: str | None,
    count: int | None,
    duration: float | None,
    **options: Any,
) -> None:
    """Print the messages of FILTER... as they arrive (Ctrl-C, --count or --for stops)."""
    from zaws.operations.mqtt_subscribe import watch_topics
    from zaws.operations.progress import Cancellation

    run = Invocation(ctx, options)
    as_json = run.output.as_json
    pretty = not as_json and sys.stdout.isatty()

    def subscribed(connected: Connected, outcomes: list[SubscriptionOutcome]) -> None:
        shown = ", ".join(f"{o.topic_filter} (QoS {o.granted_qos})" for o in outcomes)
        run.output.note(f"Connected to {connected.endpoint} as {connected.identity}")
        run.output.note(f"Subscribed to {shown}; waiting for messages")

    def show(message: MqttMessage) -> None:
        click.echo(format_message(message, as_json=as_json, pretty=pretty))
        sys.stdout.flush()

    cancel = Cancellation()
    with stop_on_ctrl_c(cancel):
        ended = watch_topics(
            project,
            list(filters),
            aws=run.aws(),
            on_message=show,
            thing=thing,
            count=count,
            duration=duration,
            on_subscribed=subscribed,
            cancel=cancel,
        )
    why = {"count": "", "time": " (time is up)", "cancel": " (stopped)"}[ended.stopped_by]
    run.output.note(f"{counted(ended.received, 'message')} in {ended.seconds:.1f} s{why}")


@mqtt.command("publish")
@click.argument("project", type=PROJECT)
@click.argument("topic")
@click.argument("message", required=False)
@click.option("--thing", help=THING_HELP)
@click.option("--qos", type=click.Choice(["0", "1"]), default="0", show_default=True)
@click.option("--retain", is_flag=True, help="Ask the broker to keep it for new subscribers.")
@aws_options
@click.pass_context
def publish_command(
    ctx: click.Context,
    /,
    project: Path,
    topic: str,
    message: str | None,
    thing: str | None,
    qos: str,
    retain: bool,
    **options: Any,
) -> None:
    """Publish MESSAGE (`-`: read it from stdin; none: an empty message) to TOPIC."""
    from zaws.operations.mqtt_publish import publish_message

    run = Invocation(ctx, options)
    payload = sys.stdin.buffer.read() if message == "-" else (message or "").encode()
    published = publish_message(
        project, topic, payload, aws=run.aws(), thing=thing, qos=int(qos), retain=retain
    )
    acknowledged = "acknowledged" if published.qos == 1 else "handled"
    run.output.result(
        published.to_dict(),
        [
            f"[green]Published {counted(published.size, 'byte')}[/] to {published.topic} "
            f"(QoS {published.qos}{', retained' if published.retain else ''}, {acknowledged})",
            f"  as {published.identity}, on {published.endpoint}",
        ],
    )


def format_message(message: MqttMessage, *, as_json: bool, pretty: bool) -> str:
    """-J: one JSON object a line; a terminal: a header line and the payload pretty-printed;
    otherwise one line a message: time, topic, payload."""
    from zaws.mqtt.messages import NOT_PARSED

    if as_json:
        return json.dumps(message.to_dict(), separators=(",", ":"))
    value = message.json_value()
    text = message.text()
    retained = " (retained)" if message.retain else ""
    if pretty:
        if value is not NOT_PARSED:
            body = json.dumps(value, indent=2)
        elif text is not None:
            body = text
        else:
            body = f"<{len(message.payload)} bytes, not text> {message.payload.hex()}"
        return f"{message.topic}  {message.time_text()}{retained}\n{body}"
    if value is not NOT_PARSED:
        body = json.dumps(value, separators=(",", ":"))
    elif text is not None:
        body = json.dumps(text) if "\n" in text else text
    else:
        body = "0x" + message.payload.hex()
    return f"{message.time_text()} {message.topic}{retained} {body}"


@contextmanager
def stop_on_ctrl_c(cancel: Cancellation) -> Iterator[None]:
    """First Ctrl-C: stop watching and disconnect cleanly. Second: stop at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum: int, frame: FrameType | None) -> None:
        if cancel.is_cancelled:
            raise KeyboardInterrupt
        cancel.cancel()

    signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
