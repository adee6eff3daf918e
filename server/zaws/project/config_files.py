"""Reading and writing the two small JSON files of a project: thing.conf.json and .zawsconf.

Unknown keys in thing.conf.json are kept as they are: the device code may read keys of its own.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
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
    except UnicodeDecodeError as err:
        raise ProjectError(
            f"{path} is not valid UTF-8 (byte {err.start})", f"fix {what} by hand"
        ) from None
    except OSError as err:
        raise ProjectError(
            f"cannot read {path}: {err.strerror or err}", f"check {what} and its permissions"
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


# What a project id may hold: AWS's thing attribute value characters, at most 128 of them.
PROJECT_ID = re.compile(r"[a-zA-Z0-9_.,@/:#=-]{1,128}")


@dataclass
class ZawsConf:
    """`.zawsconf`: the current base name, its highest index so far (-1: none), the active index.

    `project_id` is zaws's own (the original toolchain never writes it): written only when set, so
    a project that lacks it keeps the file exactly as the original wrote it.
    """

    thing_base_name: str
    last_thing_id: int = -1
    active_thing_id: int = 0
    project_id: str | None = None

    @classmethod
    def read(cls, path: Path) -> ZawsConf | None:
        if not path.exists():
            return None
        data = read_json_object(path, what=".zawsconf")
        base = data.get("thing_base_name")
        if not isinstance(base, str) or not base:
            raise _bad_key(path, "thing_base_name", base, "must be a non-empty string")
        project_id = data.get("project_id")
        if "project_id" in data and not (
            isinstance(project_id, str) and PROJECT_ID.fullmatch(project_id)
        ):
            raise _bad_key(
                path, "project_id", project_id, "must be 1 to 128 of a-z A-Z 0-9 _ . , @ / : # = -"
            )
        return cls(
            thing_base_name=base,
            last_thing_id=_integer(path, data, "last_thing_id", -1),
            active_thing_id=_integer(path, data, "active_thing_id", 0),
            project_id=project_id,
        )

    def write(self, path: Path) -> None:
        data: dict[str, Any] = {
            "thing_base_name": self.thing_base_name,
            "last_thing_id": self.last_thing_id,
            "active_thing_id": self.active_thing_id,
        }
        if self.project_id is not None:
            data["project_id"] = self.project_id
        write_json(path, data)


def _integer(path: Path, data: dict[str, Any], key: str, default: int) -> int:
    """A whole number as the original writes it; never a bool, a float or an infinity."""
    value = data.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise _bad_key(path, key, value, "must be a whole number, not an infinity or NaN")
    raise _bad_key(path, key, value, "must be a whole number")


def _bad_key(path: Path, key: str, value: object, rule: str) -> ProjectError:
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return ProjectError(
        f"{path}: {key} {rule} (it is {shown})",
        "fix .zawsconf by hand or run iot-cleanup",
    )
