"""Device shadows over MQTT (`$aws/things/<thing>/shadow/...`, named: `.../shadow/name/<name>/...`)
on the document moto's iot-data backend keeps, so GetThingShadow over HTTP reads what a device
wrote over MQTT and the other way round, and the shadows survive a restart with the things.

`update`, `get` and `delete` are answered on `<request>/accepted` or `/rejected`; an accepted
update also publishes `update/documents` (previous and current) and, when the update had a desired
section and desired still differs from reported, `update/delta`; so does an UpdateThingShadow or
DeleteThingShadow over HTTP (`shadow_changes.py`). Unlike the Jobs API these go to the topics'
subscribers (each delivery checked with iot:Receive), as AWS publishes them. Versions
are moto's (from 1, +1 per update and delete; a deleted shadow keeps counting), which are AWS's.
"""

from __future__ import annotations

import json
import time
from typing import Any

from zaws.emulator.data_plane.services import ClientInfo, DataPlane
from zaws.emulator.data_plane.shadow_changes import add_shadow_listener, remove_shadow_listener
from zaws.emulator.data_plane.shadow_requests import ShadowError, check_update, parse

PREFIX = "$aws/things/"
OPERATIONS = ("update", "get", "delete")


class ShadowService:
    """A `ReservedTopicService` for `$aws/things/+/shadow/#`."""

    def __init__(self, plane: DataPlane) -> None:
        self.plane = plane
        self._delete_tokens: dict[tuple[str, str | None], str | None] = {}
        add_shadow_listener(self._changed)

    def close(self) -> None:
        remove_shadow_listener(self._changed)

    def handles(self, topic: str) -> bool:
        levels = topic.split("/")
        return topic.startswith(PREFIX) and len(levels) >= 5 and levels[3] == "shadow"

    def on_publish(self, client: ClientInfo, topic: str, payload: bytes) -> None:
        levels = topic.split("/")
        thing, rest = levels[2], levels[4:]
        shadow_name: str | None = None
        if len(rest) == 3 and rest[0] == "name":
            shadow_name, rest = rest[1], rest[2:]
        if len(rest) != 1 or rest[0] not in OPERATIONS:
            return  # a response topic or an unknown one: AWS answers nothing
        operation = rest[0]
        request: dict[str, Any] = {}
        try:
            request = parse(payload)
            if operation == "update":
                self._update(client, topic, thing, shadow_name, request)
            elif operation == "get":
                self._get(client, topic, thing, shadow_name, request)
            else:
                self._delete(client, topic, thing, shadow_name, request)
        except ShadowError as err:
            answer = {"code": err.code, "message": err.message}
            self._publish(f"{topic}/rejected", answer, request)

    def _update(
        self,
        client: ClientInfo,
        topic: str,
        thing: str,
        name: str | None,
        request: dict[str, Any],
    ) -> None:
        check_update(request)
        backend, existing = _shadow(client, thing, name)
        if "version" in request and existing is not None and request["version"] != existing.version:
            raise ShadowError(409, "Version conflict")
        sent = dict(request)
        if existing is None:
            sent.pop("version", None)  # moto would crash on it; nothing to conflict with
        backend.update_thing_shadow(thing, json.dumps(sent), name)  # `_changed` publishes

    def _changed(
        self,
        backend: Any,
        thing: str,
        name: str | None,
        request: dict[str, Any] | None,
        before: Any,
        shadow: Any,
    ) -> None:
        """What AWS publishes after a shadow changed, over MQTT or HTTP."""
        topic = f"{PREFIX}{thing}/shadow" + (f"/name/{name}" if name is not None else "")
        if request is None:
            token = self._delete_tokens.get((thing, name))
            asked = {"clientToken": token} if token is not None else {}
            self._publish(f"{topic}/delete/accepted", {"version": shadow.version}, asked)
            return
        self._publish(f"{topic}/update/accepted", shadow.to_response_dict(), request)
        state = request.get("state") or {}
        delta = shadow.parse_payload(shadow.desired, shadow.reported)
        if state.get("desired") and delta:
            message = {
                "version": shadow.version,
                "timestamp": shadow.timestamp,
                "state": delta,
                "metadata": _metadata_of(delta, shadow.metadata_desired or {}),
            }
            self._publish(f"{topic}/update/delta", message, request)
        documents: dict[str, Any] = {}
        if before is not None and not before.deleted:
            documents["previous"] = _document(before)
        documents["current"] = _document(shadow)
        documents["timestamp"] = shadow.timestamp
        self._publish(f"{topic}/update/documents", documents, request)

    def _get(
        self,
        client: ClientInfo,
        topic: str,
        thing: str,
        name: str | None,
        request: dict[str, Any],
    ) -> None:
        _, shadow = _shadow(client, thing, name)
        if shadow is None or shadow.deleted:
            raise ShadowError(404, f"No shadow exists with name: '{name or thing}'")
        self._publish(f"{topic}/accepted", shadow.to_dict(), request)

    def _delete(
        self,
        client: ClientInfo,
        topic: str,
        thing: str,
        name: str | None,
        request: dict[str, Any],
    ) -> None:
        backend, shadow = _shadow(client, thing, name)
        if shadow is None or shadow.deleted:
            raise ShadowError(404, f"No shadow exists with name: '{name or thing}'")
        self._delete_tokens[(thing, name)] = request.get("clientToken")
        try:
            backend.delete_thing_shadow(thing, name)  # `_changed` publishes
        finally:
            self._delete_tokens.pop((thing, name), None)

    def _publish(self, topic: str, message: dict[str, Any], request: dict[str, Any]) -> None:
        message.setdefault("timestamp", int(time.time()))
        if isinstance(request.get("clientToken"), str):
            message["clientToken"] = request["clientToken"]
        self.plane.publish(topic, json.dumps(message, separators=(",", ":")).encode())


def _shadow(client: ClientInfo, thing: str, name: str | None) -> tuple[Any, Any]:
    """moto's iot-data backend and the thing's shadow (None if never made); 404 without thing."""
    from moto.backends import get_backend
    from moto.iot.exceptions import ResourceNotFoundException

    backend = get_backend("iot-data")[client.account_id][client.region]
    try:
        found = backend.iot_backend.describe_thing(thing)
    except ResourceNotFoundException:
        raise ShadowError(404, "Thing not found") from None
    return backend, found.thing_shadows.get(name)


def _document(shadow: Any) -> dict[str, Any]:
    full = shadow.to_dict(include_delta=False)
    return {"state": full["state"], "metadata": full["metadata"], "version": full["version"]}


def _metadata_of(delta: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
    """The desired metadata of the delta's keys only, nested as the delta is."""
    picked: dict[str, Any] = {}
    for key, value in delta.items():
        meta = metadata.get(key)
        if isinstance(value, dict) and isinstance(meta, dict) and "timestamp" not in meta:
            picked[key] = _metadata_of(value, meta)
        elif meta is not None:
            picked[key] = meta
    return picked
