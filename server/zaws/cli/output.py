"""How the CLI shows results and errors: readable lines for people, JSON with -J.

rich is imported only when something is printed for a person, so quick commands stay quick.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from zaws.errors import ConfirmationRequired, ZawsError


def counted(count: int, noun: str) -> str:
    """`counted(1, "thing")` is "1 thing", `counted(3, "FOTA job")` "3 FOTA jobs"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


class Output:
    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def result(self, data: dict[str, Any], lines: list[str]) -> None:
        """Print `data` as JSON with -J, else the human `lines` (rich markup allowed)."""
        if self.as_json:
            click.echo(json.dumps(data, indent=2, default=str))
            return
        console = stdout_console()
        for line in lines:
            console.print(line, highlight=False)

    def confirm(
        self,
        *,
        yes: bool,
        action: str,
        question: str,
        details: list[str],
        hint: str = "pass --yes to confirm",
    ) -> None:
        """--yes, or a prompt on a terminal; without a terminal, refuse: never delete unasked."""
        if yes:
            return
        if not sys.stdin.isatty():
            raise ConfirmationRequired(f"{action} needs a confirmation", hint)
        self.note("\n".join(details))
        click.confirm(question, abort=True, err=True)

    def note(self, line: str) -> None:
        """A remark for people; goes to stderr so JSON on stdout stays clean."""
        stderr_console().print(line, highlight=False)


def stdout_console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=True)


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def print_error(err: ZawsError) -> None:
    """One line: what failed and what to do. No traceback."""
    message = f"zaws: error: {err.message}"
    if err.hint:
        message += f" -- {err.hint}"
    click.echo(message, err=True)


def print_unexpected(err: BaseException) -> None:
    click.echo(
        f"zaws: internal error: {type(err).__name__}: {err} -- this is a bug; rerun with "
        "ZAWS_DEBUG=1 for the traceback and report it",
        err=True,
    )
    if "--debug" in sys.argv:
        raise err


def shell_path(path: Path) -> str:
    """An absolute path, quoted for pasting into a shell."""
    import shlex

    return shlex.quote(str(path.expanduser().resolve()))
