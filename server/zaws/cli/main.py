"""`zaws`: the entry point, global options, and the table from command names to operations.

Each command parses its options, calls one operation and prints its result; nothing else.
Operations are imported inside the commands, so `set-active-thing` never loads boto3.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from zaws.aws.settings import AwsSettings, local_from_environment
from zaws.cli.output import Output, print_error, print_unexpected
from zaws.errors import OperationCancelled, ZawsError

F = TypeVar("F", bound=Callable[..., Any])
AWS_OPTION_NAMES = ("profile", "region", "endpoint_url", "local")


def aws_options(func: F) -> F:
    """The AWS options, accepted before the command name and after it."""
    options = [
        click.option("--profile", help="AWS profile (default: AWS_PROFILE, then 'default')."),
        click.option("--region", help="AWS region (default: AWS_REGION or the profile's)."),
        click.option("--endpoint-url", help="Send AWS calls to this URL instead of AWS's."),
        click.option(
            "--local",
            is_flag=True,
            default=None,
            help="Use the embedded local AWS emulator (also ZAWS_LOCAL=1).",
        ),
        click.option(
            "-J", "--json", "as_json", is_flag=True, default=None, help="Print the result as JSON."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@aws_options
@click.version_option(package_name="zaws")
@click.pass_context
def cli(ctx: click.Context, /, **global_options: Any) -> None:
    """Zerynth AWS IoT workflow: projects, things, certificates and FOTA updates."""
    ctx.obj = global_options


class Invocation:
    """The merged global and per-command options of one command."""

    def __init__(self, ctx: click.Context, local_options: dict[str, Any]) -> None:
        merged = dict(ctx.obj or {})
        for key in (*AWS_OPTION_NAMES, "as_json"):
            if local_options.get(key) is not None:
                merged[key] = local_options.pop(key)
            else:
                local_options.pop(key, None)
        self.options = merged
        self.output = Output(bool(merged.get("as_json")))

    def aws(self, workers: int | None = None) -> AwsSettings:
        local = bool(self.options.get("local")) or local_from_environment()
        return AwsSettings(
            profile=self.options.get("profile"),
            region=self.options.get("region"),
            endpoint_url=self.options.get("endpoint_url"),
            local=local,
            max_workers=workers,
        )


def main() -> None:
    try:
        cli.main(standalone_mode=False, prog_name="zaws")
    except OperationCancelled as err:
        print_error(err)
        sys.exit(130)
    except ZawsError as err:
        print_error(err)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("zaws: aborted", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("zaws: interrupted", err=True)
        sys.exit(130)
    except Exception as err:
        if os.environ.get("ZAWS_DEBUG"):
            raise
        print_unexpected(err)
        sys.exit(70)


# Register the commands (each module adds its own to `cli`).
from zaws.cli import (  # noqa: E402
    commands_emulator,
    commands_fota,
    commands_project,
    commands_servers,
    commands_things,
)

__all__ = [
    "cli",
    "commands_emulator",
    "commands_fota",
    "commands_project",
    "commands_servers",
    "commands_things",
    "main",
]
