"""Every change of a shadow, made over MQTT or over iot-data's HTTP API, heard by the data plane.

AWS publishes `update/accepted`, `update/delta`, `update/documents` and `delete/accepted` to the
shadow's MQTT subscribers whichever way the shadow changed: the cloud typically sets `desired`
with UpdateThingShadow over HTTPS and the device hears the delta. moto's iot-data backend is
wrapped (once, when the shadow service starts) so each update and delete tells the listeners the
request, the shadow before and the shadow after. The wrapper also does what moto does not:
`"desired": null` (or `"reported": null`) removes that whole section, as on AWS.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

# (iot-data backend, thing, shadow name or None, request or None for a delete, before, after)
ShadowListener = Callable[[Any, str, "str | None", "dict[str, Any] | None", Any, Any], None]
_listeners: list[ShadowListener] = []


def add_shadow_listener(listener: ShadowListener) -> None:
    patch_shadow_changes()
    _listeners.append(listener)


def remove_shadow_listener(listener: ShadowListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def patch_shadow_changes() -> None:
    from moto.iotdata.models import IoTDataPlaneBackend

    if getattr(IoTDataPlaneBackend, "zaws_shadow_changes", False):
        return
    IoTDataPlaneBackend.zaws_shadow_changes = True  # type: ignore[attr-defined]
    moto_update = IoTDataPlaneBackend.update_thing_shadow
    moto_delete = IoTDataPlaneBackend.delete_thing_shadow

    def update_thing_shadow(self: Any, thing_name: str, payload: str, shadow_name: Any) -> Any:
        before = self.iot_backend.describe_thing(thing_name).thing_shadows.get(shadow_name)
        shadow = moto_update(self, thing_name, payload, shadow_name)
        request = json.loads(payload)
        for section in ("desired", "reported"):
            if section in (request.get("state") or {}) and request["state"][section] is None:
                setattr(shadow, section, None)
                setattr(shadow, f"metadata_{section}", None)
        for listener in list(_listeners):
            listener(self, thing_name, shadow_name, request, before, shadow)
        return shadow

    def delete_thing_shadow(self: Any, thing_name: str, shadow_name: Any) -> Any:
        before = self.iot_backend.describe_thing(thing_name).thing_shadows.get(shadow_name)
        shadow = moto_delete(self, thing_name, shadow_name)
        for listener in list(_listeners):
            listener(self, thing_name, shadow_name, None, before, shadow)
        return shadow

    IoTDataPlaneBackend.update_thing_shadow = update_thing_shadow  # type: ignore[method-assign]
    IoTDataPlaneBackend.delete_thing_shadow = delete_thing_shadow  # type: ignore[method-assign]
