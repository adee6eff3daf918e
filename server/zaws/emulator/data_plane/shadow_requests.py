"""A shadow update request checked as AWS IoT checks it, with AWS's error codes and messages.

From `device-shadow-error-messages`: 400 for a malformed request (its exact messages below), 404
for a missing thing or shadow, 409 for a version conflict. Requests are checked before moto's
iot-data backend sees them: moto's own messages ("need node `state`") are not AWS's, and a
`version` for a shadow that does not exist would crash it.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 6  # "JSON contains too many levels of nesting; maximum is 6"
MAX_TOKEN = 64
SECTIONS = ("desired", "reported")


class ShadowError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse(payload: bytes) -> dict[str, Any]:
    """Any request's JSON object; an empty payload (get, delete) is an empty request."""
    if not payload.strip():
        return {}
    try:
        request = json.loads(payload)
    except ValueError:
        raise ShadowError(400, "Invalid JSON") from None
    if not isinstance(request, dict):
        raise ShadowError(400, "Invalid JSON")
    token = request.get("clientToken")
    if token is not None and (not isinstance(token, str) or len(token.encode()) > MAX_TOKEN):
        raise ShadowError(400, "Invalid clientToken")
    return request


def check_update(request: dict[str, Any]) -> None:
    if "state" not in request:
        raise ShadowError(400, "Missing required node: state")
    state = request["state"]
    if state is not None and not isinstance(state, dict):
        raise ShadowError(400, "State node must be an object")
    for name, section in (state or {}).items():
        if name not in SECTIONS:
            raise ShadowError(400, f"State contains an invalid node: '{name}'")
        if section is not None and not isinstance(section, dict):
            raise ShadowError(400, f"{name.capitalize()} node must be an object")
        if _depth(section) > MAX_DEPTH:
            raise ShadowError(400, "JSON contains too many levels of nesting; maximum is 6")
        if _null_in_array(section):
            raise ShadowError(400, "Invalid JSON: arrays may not contain null")
    version = request.get("version")
    if "version" in request and (
        isinstance(version, bool) or not isinstance(version, int) or version < 0
    ):
        raise ShadowError(400, "Invalid version")


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return max((_depth(item) for item in value), default=0)
    return 0


def _null_in_array(value: object) -> bool:
    if isinstance(value, dict):
        return any(_null_in_array(item) for item in value.values())
    if isinstance(value, list):
        return any(item is None or _null_in_array(item) for item in value)
    return False
