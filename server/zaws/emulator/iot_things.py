"""CreateThing in the emulator as AWS answers it for a name that exists, where moto (5.2) differs.

AWS: "If this call is made multiple times using the same thing name and configuration, the call
will succeed. If this call is made with the same thing name but different configuration a
ResourceAlreadyExistsException is thrown." The configuration is the thing type, the attributes
(`attributePayload.attributes`; none and an empty set are the same, `merge` plays no part) and the
billing group. The same configuration answers the existing thing (its name, ARN and id) and changes
nothing; a different one is HTTP 409 "Thing NAME already exists in account with different
attributes" and changes nothing either.

moto instead replaces the thing with a new one (a new id, version 1, the new attributes) and keeps
the old one's principals. zaws marks the things a project creates with an attribute carrying the
project's id, so this is what stops one project from adopting another's thing on the emulator,
as AWS stops it.
"""

from __future__ import annotations

from typing import Any


def patch_create_thing() -> None:
    from moto.iot.exceptions import ResourceAlreadyExistsException
    from moto.iot.models import IoTBackend

    moto_create_thing = IoTBackend.create_thing

    def create_thing(
        self: Any,
        thing_name: str,
        thing_type_name: str,  # None when absent, despite moto's annotation
        attribute_payload: dict[str, Any] | None,
        billing_group_name: str | None = None,
    ) -> Any:
        existing = existing_thing(self, thing_name)
        if existing is None:
            return moto_create_thing(
                self, thing_name, thing_type_name, attribute_payload, billing_group_name
            )
        attributes = (attribute_payload or {}).get("attributes") or {}
        wanted = (thing_type_name or None, attributes, billing_group_name or None)
        if wanted != configuration(existing):
            raise ResourceAlreadyExistsException(
                f"Thing {thing_name} already exists in account with different attributes",
                existing.thing_id,
                existing.arn,
            )
        return existing

    setattr(IoTBackend, "create_thing", create_thing)  # noqa: B010 (monkeypatch by design)


def existing_thing(backend: Any, thing_name: str) -> Any:
    """The thing of that name, or None: things are stored by ARN, which the name determines."""
    from moto.utilities.utils import get_partition

    region = backend.region_name
    arn = f"arn:{get_partition(region)}:iot:{region}:{backend.account_id}:thing/{thing_name}"
    thing = backend.things.get(arn)
    return thing if thing is not None and thing.thing_name == thing_name else None


def configuration(thing: Any) -> tuple[str | None, dict[str, Any], str | None]:
    """What CreateThing compares: thing type name, attributes, billing group name."""
    type_name = thing.thing_type.thing_type_name if thing.thing_type else None
    return (type_name, dict(thing.attributes), thing.billing_group_name or None)
