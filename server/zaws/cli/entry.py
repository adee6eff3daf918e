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


def parse_set_active(argv: list[str]) -> tuple[str, int | None, str | None, bool] | None:
    """(project, thing id, thing name, as JSON) for a plain set-active-thing, else None."""
    as_json = False
    rest = list(argv)
    while rest and rest[0] != "set-active-thing":
        option = rest.pop(0)
        if option in GLOBAL_FLAGS:
            as_json |= option in {"-J", "--json"}
        elif option in GLOBAL_VALUES and rest:
            rest.pop(0)
        else:
            return None
    if not rest:
        return None
    rest.pop(0)
    project: str | None = None
    thing_id: int | None = None
    thing_name: str | None = None
    while rest:
        item = rest.pop(0)
        if item in {"-J", "--json"}:
            as_json = True
        elif item == "--thing-id" and rest and rest[0].lstrip("-").isdigit():
            thing_id = int(rest.pop(0))
        elif item == "--thing-name" and rest:
            thing_name = rest.pop(0)
        elif not item.startswith("-") and project is None:
            project = item
        else:
            return None
    if project is None or (thing_id is not None and thing_name is not None):
        return None
    if thing_id is None and thing_name is None:
        thing_id = 0  # the original's default
    return project, thing_id, thing_name, as_json


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
    from pathlib import Path

    from zaws.errors import ZawsError
    from zaws.operations.set_active_thing import set_active_thing

    project, thing_id, thing_name, as_json = plain
    try:
        active = set_active_thing(Path(project), thing_id=thing_id, thing_name=thing_name)
    except ZawsError as err:
        hint = f" -- {err.hint}" if err.hint else ""
        print(f"zaws: error: {err.message}{hint}", file=sys.stderr)
        sys.exit(1)
    if as_json:
        import json

        print(json.dumps(active.to_dict(), indent=2))
    else:
        print(f"Active thing: {active.thing_name}")
