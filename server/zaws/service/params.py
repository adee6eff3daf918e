"""Reading a method's params with messages that say which param is wrong and why.

Params come by name (a JSON object), as LSP sends them. Unknown names are refused (a typo must not
silently fall back to a default), except the LSP-defined `workDoneToken`, which front ends read.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zaws.service.uris import InvalidParams, existing_file, existing_folder, path_from_uri

PROTOCOL_KEYS = frozenset({"workDoneToken"})


class Params:
    """The params of one call; every accessor raises InvalidParams with the param's name."""

    def __init__(self, method: str, raw: object, allowed: frozenset[str]) -> None:
        if raw is None:
            raw = {}
        if isinstance(raw, list | tuple):
            raise InvalidParams(f"{method} takes its params by name (a JSON object), not a list")
        if not isinstance(raw, Mapping):
            raise InvalidParams(f"{method} params must be a JSON object")
        unknown = sorted(str(k) for k in raw if k not in allowed and k not in PROTOCOL_KEYS)
        if unknown:
            expected = ", ".join(sorted(allowed)) or "none"
            raise InvalidParams(
                f"{method} got unknown params: {', '.join(unknown)} (expected: {expected})"
            )
        self.method = method
        self.raw: Mapping[str, Any] = raw

    def string(self, name: str, *, required: bool = False, empty: bool = False) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._wrong(name, "a string", value)
        if not empty and not value.strip():
            raise InvalidParams(f"{self.method}: {name} must not be empty")
        return value

    def required_string(self, name: str) -> str:
        value = self.string(name, required=True)
        assert value is not None
        return value

    def integer(self, name: str, *, minimum: int, maximum: int) -> int | None:
        value = self._get(name, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(name, "an integer", value)
        if not minimum <= value <= maximum:
            raise InvalidParams(
                f"{self.method}: {name} must be between {minimum} and {maximum}, got {value}"
            )
        return value

    def number(self, name: str, *, above: float, maximum: float) -> float | None:
        """A JSON number in (above, maximum]."""
        value = self._get(name, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(name, "a number", value)
        if not above < value <= maximum:  # NaN fails too
            raise InvalidParams(
                f"{self.method}: {name} must be above {above:g} and at most {maximum:g}, "
                f"got {value}"
            )
        return float(value)

    def strings(self, name: str) -> list[str] | None:
        """A non-empty array of non-empty strings."""
        value = self._get(name, False)
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            raise self._wrong(name, "an array of strings", value)
        if not value:
            raise InvalidParams(f"{self.method}: {name} must not be empty")
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise InvalidParams(f"{self.method}: {name} must hold only non-empty strings")
        return [str(item) for item in value]

    def boolean(self, name: str, default: bool) -> bool:
        value = self._get(name, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self._wrong(name, "true or false", value)
        return value

    def folder(self, name: str = "projectUri") -> Path:
        return existing_folder(self.required_string(name), name=name)

    def file(self, name: str) -> Path:
        return existing_file(self.required_string(name), name=name)

    def path(self, name: str) -> Path:
        return path_from_uri(self.required_string(name), name=name)

    def _get(self, name: str, required: bool) -> Any:
        value = self.raw.get(name)
        if value is None and required:
            raise InvalidParams(f"{self.method} needs the param {name}")
        return value

    def _wrong(self, name: str, expected: str, value: object) -> InvalidParams:
        return InvalidParams(f"{self.method}: {name} must be {expected}, got {_json_type(value)}")


def _json_type(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    for kind, label in names.items():
        if isinstance(value, kind):
            return label
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return "null"
