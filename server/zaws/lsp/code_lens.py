"""Code lenses on a project's thing.conf.json: the active thing ("n of N") with a switch action,
add things, start FOTA.

The command ids are the VS Code client's own commands (it registers them); the server never lists
them in executeCommandProvider, or the client would register them twice and fail to activate.
Counting needs only the names of the thing folders, so a 1000-thing project costs one listdir.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from lsprotocol import types

from zaws.checks.jsonscan import JsonSyntaxError, ObjectNode, parse
from zaws.lsp.documents import RESOURCES_DIR
from zaws.lsp.positions import LineIndex
from zaws.service.uris import uri_from_path

SWITCH_ACTIVE_THING = "zaws.lens.switchActiveThing"
ADD_THINGS = "zaws.lens.addThings"
START_FOTA = "zaws.lens.startFota"
LENS_COMMANDS = (SWITCH_ACTIVE_THING, ADD_THINGS, START_FOTA)


def code_lenses(text: str, path: Path, encoding: str | None) -> list[types.CodeLens]:
    root = path.parent
    project = {"projectUri": uri_from_path(root)}
    index = LineIndex(text, encoding)
    top = index.range(0, 0)
    things = thing_names(root / RESOURCES_DIR)
    active, active_range = _active(text, index)
    lenses = []
    if active is not None and active_range is not None:
        if active in things:
            title = f"Active thing: {active} ({things.index(active) + 1} of {len(things)})"
        else:
            title = f"Active thing: {active} (not among the project's {len(things)} things)"
        arguments: list[Any] = [{**project, "thingName": active}]
        lenses.append(_lens(active_range, title + " · switch", SWITCH_ACTIVE_THING, arguments))
    elif things:
        title = f"No active thing ({len(things)} things) · choose one"
        lenses.append(_lens(top, title, SWITCH_ACTIVE_THING, [project]))
    lenses.append(_lens(top, "Add things", ADD_THINGS, [project]))
    if active is not None:
        lenses.append(_lens(top, "Start FOTA", START_FOTA, [{**project, "thingName": active}]))
    return lenses


def thing_names(resources: Path) -> list[str]:
    """The project's thing names, ordered as `zaws/listThings` orders them (base, then index)."""
    from zaws.project.thing_names import is_thing_name, split_thing_name

    try:
        names = [n for n in os.listdir(resources) if is_thing_name(n)]  # no stray folder
    except OSError:
        return []

    def key(name: str) -> tuple[str, int, str]:
        parts = split_thing_name(name)
        return (parts[0], parts[1], "") if parts else (name, -1, name)

    return sorted(names, key=key)


def _active(text: str, index: LineIndex) -> tuple[str | None, types.Range | None]:
    try:
        root = parse(text)
    except JsonSyntaxError:
        return None, None
    if not isinstance(root, ObjectNode):
        return None, None
    member = root.member("thingname")
    if member is None or not isinstance(member.node.value, str) or not member.node.value:
        return None, None
    return member.node.value, index.range(member.key_start, member.node.end)


def _lens(where: types.Range, title: str, command: str, arguments: list[Any]) -> types.CodeLens:
    return types.CodeLens(
        range=where, command=types.Command(title=title, command=command, arguments=arguments)
    )
