"""The `zaws` executable's first stop: `set-active-thing` without loading click.

Mass-programming scripts run `zaws set-active-thing PROJECT --thing-id N` once per device, so its
start-up time is paid a thousand times. This module answers the plain forms of that command with
the standard library alone; anything else (help, other commands, unusual spellings, errors in the
arguments) goes to the full click command line, which behaves the same.
"""

from __future__ import annotations

import sys

GLOBAL_FLAGS = {"--local", "-J", "--json"}
GLOBAL_VALUES = {"--profile", "--region", "--endpoint-url"}
JSON_FLAGS = {"-J", "--json"}
LONGEST_THING_ID = 30  # digits; more is no thing (names are at most 128 characters)


def parse_set_active(argv: list[str]) -> tuple[str, int | None, str | None, bool] | None:
    """(project, thing id, thing name, as JSON) for a plain set-active-thing, else None.

    Global options are taken before and after the command name, as the full command line takes
    them; set-active-thing is local, so only -J/--json matters here.
    """
    as_json = False
    rest = list(argv)
    while rest and rest[0] != "set-active-thing":
        taken = _global_option(rest)
        if taken is None:
            return None
        as_json |= taken
    if not rest:
        return None
    rest.pop(0)
    project: str | None = None
    thing_id: int | None = None
    thing_name: str | None = None
    while rest:
        item = rest[0]
        option, equals, inline = item.partition("=")
        if option in {"--thing-id", "--thing-name"}:
            rest.pop(0)
            if not equals and not rest:
                return None
            value = inline if equals else rest.pop(0)
            if option == "--thing-name":
                thing_name = value
            elif _is_thing_id(value):
                thing_id = int(value)
            else:
                return None  # click says what is wrong with it
        elif not item.startswith("-") and project is None:
            project = rest.pop(0)
        else:
            taken = _global_option(rest)
            if taken is None:
                return None
            as_json |= taken
    if project is None or (thing_id is not None and thing_name is not None):
        return None
    if thing_id is None and thing_name is None:
        thing_id = 0  # the original's default
    return project, thing_id, thing_name, as_json


def _global_option(rest: list[str]) -> bool | None:
    """Take one global option off `rest`: True for -J/--json, False for another, None if not one."""
    option, equals, _ = rest[0].partition("=")
    if rest[0] in GLOBAL_FLAGS:
        return rest.pop(0) in JSON_FLAGS
    if option in GLOBAL_VALUES and (equals or len(rest) > 1):
        del rest[: 1 if equals else 2]
        return False
    return None


def _is_thing_id(value: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts '²', which int() then refuses."""
    digits = value[1:] if value.startswith("-") else value
    return 0 < len(digits) <= LONGEST_THING_ID and digits.isascii() and digits.isdigit()


def main() -> None:
    if sys.argv[1:2] in (["serve"], ["rpc"]):
        from zaws.__main__ import main as servers

        servers()  # the servers start without click, rich or boto3
        return
    plain = parse_set_active(sys.argv[1:])
    if plain is None:
        from zaws.cli.main import main as full_main

        full_main()
        return
    sys.exit(set_active(*plain))


def set_active(project: str, thing_id: int | None, thing_name: str | None, as_json: bool) -> int:
    """Run the plain set-active-thing; every failure is one line on stderr and an exit code."""
    from pathlib import Path

    from zaws.errors import ZawsError
    from zaws.operations.set_active_thing import set_active_thing

    try:
        active = set_active_thing(Path(project), thing_id=thing_id, thing_name=thing_name)
        if as_json:
            import json

            print(json.dumps(active.to_dict(), indent=2))
        else:
            print(f"Active thing: {active.thing_name}")
    except ZawsError as err:
        hint = f" -- {err.hint}" if err.hint else ""
        print(f"zaws: error: {err.message}{hint}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("zaws: interrupted", file=sys.stderr)
        return 130
    except OSError as err:
        where = err.filename if err.filename is not None else project
        print(f"zaws: error: cannot use {where}: {err.strerror or err}", file=sys.stderr)
        return 1
    except Exception as err:
        import os

        if os.environ.get("ZAWS_DEBUG"):
            raise
        print(
            f"zaws: internal error: {type(err).__name__}: {err} -- this is a bug; rerun with "
            "ZAWS_DEBUG=1 for the traceback and report it",
            file=sys.stderr,
        )
        return 70
    return 0
