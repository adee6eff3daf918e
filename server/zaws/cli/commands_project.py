"""Commands that make things to build on: a project from the template, a device policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from zaws.cli.main import Invocation, aws_options, cli


@cli.command("thing-project-from-template")
@click.argument("name")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@click.option("--aws-endpoint", help="AWS IoT data endpoint (default: the account's ATS one).")
@click.option("--aws-policy-name", help="Policy attached to every thing's certificate.")
@aws_options
@click.pass_context
def thing_project_from_template(
    ctx: click.Context,
    /,
    name: str,
    path: Path,
    aws_endpoint: str | None,
    aws_policy_name: str | None,
    **options: Any,
) -> None:
    """Create project NAME in folder PATH/NAME from the AWS IoT thing template."""
    from zaws.operations.create_project import create_project

    run = Invocation(ctx, options)
    made = create_project(
        name,
        path,
        endpoint=aws_endpoint,
        policy_name=aws_policy_name,
        aws=run.aws() if not aws_endpoint else None,
    )
    lines = [f"[green]Created project[/] {made.path}"]
    if made.endpoint_source == "account":
        lines.append(f"  endpoint: {made.endpoint} [dim](the account's ATS data endpoint)[/]")
    elif made.endpoint_source == "given":
        lines.append(f"  endpoint: {made.endpoint}")
    else:
        lines.append(
            f"  endpoint: [yellow]not set[/] ({made.endpoint_note}); edit thing.conf.json "
            "or pass --aws-endpoint"
        )
    lines.append(f"  policy:   {made.policy_name or '[yellow]not set[/] (edit thing.conf.json)'}")
    run.output.result(made.to_dict(), lines)


@cli.command("create-policy")
@click.argument("name")
@click.option(
    "--topic",
    "topics",
    multiple=True,
    metavar="TOPIC",
    help="Also let every device publish, subscribe and receive on TOPIC (a filter such as "
    "dev/# too); repeatable. For projects that publish outside the thing's name, e.g. dev/sample.",
)
@aws_options
@click.pass_context
def create_policy_command(
    ctx: click.Context, /, name: str, topics: tuple[str, ...], **options: Any
) -> None:
    """Create a least-privilege device policy NAME (each device: its own topics and jobs)."""
    from zaws.operations.create_policy import create_policy

    run = Invocation(ctx, options)
    made = create_policy(name, aws=run.aws(), topics=topics)
    verb = "Created policy" if made.created else "Policy already exists, left as it is:"
    run.output.result(made.to_dict(), [f"[green]{verb}[/] {made.name} ({made.arn})"])
