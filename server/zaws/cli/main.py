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
from zaws.errors import OperationCancelled, ZawsError, local_file_error

F = TypeVar("F", bound=Callable[..., Any])
AWS_OPTION_NAMES = ("profile", "region", "endpoint_url", "local")
GLOBAL_VALUE_OPTIONS = frozenset({"--profile", "--region", "--endpoint-url"})
GLOBAL_FLAG_OPTIONS = frozenset({"--local", "-J", "--json"})


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


class GlobalOptionsGroup(click.Group):
    """`zaws`: its global options work before the command name and after it, for every command.

    A command that declares them itself (`aws_options`) reads them where they are; for the others
    (set-active-thing, emulator ...) they are moved in front of the command name, where the group
    reads them, as `zaws --local CMD ...` would.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(self, ctx, args))


def hoist_global_options(group: click.Group, ctx: click.Context, args: list[str]) -> list[str]:
    """`args` with the global options the command does not declare moved before its name."""
    position = _command_position(args)
    if position is None:
        return args
    command = group.get_command(ctx, args[position])
    names = [args[position]]
    rest = args[position + 1 :]
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        names.append(rest[0])
        command = command.get_command(ctx, rest.pop(0))
    if command is None or command.context_settings.get("ignore_unknown_options"):
        return args  # unknown (click says so) or a pass-through server command
    declared, with_value = _declared_options(command)
    moved: list[str] = []
    kept: list[str] = []
    while rest:
        token = rest.pop(0)
        name, equals, _ = token.partition("=")
        if token == "--":
            kept += [token, *rest]
            break
        target = kept if name in declared else moved
        if name in declared or token in GLOBAL_FLAG_OPTIONS or name in GLOBAL_VALUE_OPTIONS:
            target.append(token)
            takes_value = name in with_value if name in declared else name in GLOBAL_VALUE_OPTIONS
            if takes_value and not equals and rest:
                target.append(rest.pop(0))
        else:
            kept.append(token)
    return [*args[:position], *moved, *names, *kept]


def _command_position(args: list[str]) -> int | None:
    """Where the command name is among the group's arguments (None: no command, or after --)."""
    index = 0
    while index < len(args):
        token = args[index]
        if token == "--":
            return None
        if not token.startswith("-"):
            return index
        index += 2 if token in GLOBAL_VALUE_OPTIONS else 1
    return None


def _declared_options(command: click.Command) -> tuple[set[str], set[str]]:
    """The option names `command` declares, and those of them that take a value."""
    declared: set[str] = set()
    with_value: set[str] = set()
    for param in command.params:
        if isinstance(param, click.Option):
            declared.update(param.opts, param.secondary_opts)
            if not param.is_flag and not param.count:
                with_value.update(param.opts)
    return declared, with_value


@click.group(cls=GlobalOptionsGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    except click.UsageError as err:  # one line, as every other failure
        where = err.ctx.command_path if err.ctx else "zaws"
        message = " ".join(err.format_message().split())
        click.echo(f"zaws: error: {message} -- see `{where} --help`", err=True)
        sys.exit(err.exit_code)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("zaws: interrupted", err=True)
        sys.exit(130)
    except OSError as err:  # a read-only folder, a name too long...: the user's to fix
        print_error(local_file_error(err))
        sys.exit(1)
    except Exception as err:
        if os.environ.get("ZAWS_DEBUG"):
            raise
        print_unexpected(err)
        sys.exit(70)


# Register the commands (each module adds its own to `cli`).
from zaws.cli import (  # noqa: E402
    commands_device,
    commands_emulator,
    commands_fota,
    commands_mqtt,
    commands_one_thing,
    commands_project,
    commands_servers,
    commands_things,
)

__all__ = [
    "cli",
    "commands_device",
    "commands_emulator",
    "commands_fota",
    "commands_mqtt",
    "commands_one_thing",
    "commands_project",
    "commands_servers",
    "commands_things",
    "main",
]
