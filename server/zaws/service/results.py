"""From the operations' `to_dict()` (snake_case) to protocol results (camelCase, as LSP names)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zaws.service.uris import uri_from_path


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


# Values that are data of their own (a FOTA job document, read by devices) keep their keys.
VERBATIM = frozenset({"document"})


def to_protocol(value: Any) -> Any:
    """Keys in camelCase, all the way down (except VERBATIM values); paths as strings."""
    if isinstance(value, dict):
        return {
            camel(str(key)): item if key in VERBATIM else to_protocol(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [to_protocol(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value


def with_project_uri(result: dict[str, Any], project: Path) -> dict[str, Any]:
    return {"projectUri": uri_from_path(project), **result}
