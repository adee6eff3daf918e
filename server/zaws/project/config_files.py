"""Reading and writing the two small JSON files of a project: thing.conf.json and .zawsconf.

Unknown keys in thing.conf.json are kept as they are: the device code may read keys of its own.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from zaws.errors import ProjectError
from zaws.project.atomic_files import write_json


def read_json_object(path: Path, *, what: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectError(
            f"{path} is missing", f"restore {what} or recreate the project"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ProjectError(
            f"{path} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})",
            f"fix {what} by hand",
        ) from None
    if not isinstance(data, dict):
        raise ProjectError(f"{path} must hold a JSON object", f"fix {what} by hand")
    return data


@dataclass
class ZawsConf:
    """`.zawsconf`: the current base name, its highest index so far (-1: none), the active index."""

    thing_base_name: str
    last_thing_id: int = -1
    active_thing_id: int = 0

    @classmethod
    def read(cls, path: Path) -> ZawsConf | None:
        if not path.exists():
            return None
        data = read_json_object(path, what=".zawsconf")
        try:
            return cls(
                thing_base_name=str(data["thing_base_name"]),
                last_thing_id=int(data.get("last_thing_id", -1)),
                active_thing_id=int(data.get("active_thing_id", 0)),
            )
        except (KeyError, TypeError, ValueError):
            raise ProjectError(
                f"{path} lacks thing_base_name or has non-numeric ids",
                "fix .zawsconf by hand or run iot-cleanup",
            ) from None

    def write(self, path: Path) -> None:
        write_json(path, asdict(self))
