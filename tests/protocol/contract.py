"""protocol/openrpc.json, loaded once, and result validation against its schemas.

Used by the contract tests here and by the end-to-end tests of both servers, so every real result
a test sees is checked against the contract the VS Code client reads.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator

OPENRPC = Path(__file__).resolve().parents[2] / "protocol" / "openrpc.json"


@functools.cache
def contract() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(OPENRPC.read_text())
    return data


def methods() -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in contract()["methods"]}


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow one `$ref` within the document."""
    if "$ref" not in node:
        return node
    target: Any = contract()
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    return dict(target)


def params_of(method: str) -> dict[str, dict[str, Any]]:
    return {d["name"]: d for d in (resolve(p) for p in methods()[method]["params"])}


def validator(schema: dict[str, Any]) -> Draft7Validator:
    return Draft7Validator({**schema, "components": contract()["components"]})


def assert_result_matches(method: str, result: Any) -> None:
    """Raise jsonschema.ValidationError when `result` is not what the contract promises."""
    validator(methods()[method]["result"]["schema"]).validate(result)


def assert_params_match(method: str, params: dict[str, Any]) -> None:
    for name, value in params.items():
        validator(params_of(method)[name]["schema"]).validate(value)


def notification_schema(method: str) -> dict[str, Any]:
    """A notification's params (a list of descriptors in the contract) as one object schema."""
    found = next(n for n in contract()["x-notifications"] if n["name"] == method)
    descriptors = [resolve(d) for d in found["params"]]
    return {
        "type": "object",
        "properties": {d["name"]: d["schema"] for d in descriptors},
        "required": [d["name"] for d in descriptors if d.get("required")],
        "additionalProperties": False,
    }


def assert_notification_matches(method: str, params: Any) -> None:
    """Raise jsonschema.ValidationError when `params` are not what the contract promises."""
    validator(notification_schema(method)).validate(params)
