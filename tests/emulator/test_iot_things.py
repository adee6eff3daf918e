"""CreateThing on a name that exists answers as AWS does: the same configuration gives back the
existing thing untouched, a different one is ResourceAlreadyExistsException and changes nothing.
Plain boto3 clients on the emulator, no zaws operation."""

from __future__ import annotations

from typing import Any

import pytest

OURS = {"attributes": {"zaws_project": "p1"}}


@pytest.fixture
def iot(aws: Any, boto: Any) -> Any:
    return boto("iot")


def thing_with_a_certificate(iot: Any, **config: Any) -> dict[str, Any]:
    created = iot.create_thing(thingName="sensor_0", **config)
    certificate = iot.create_keys_and_certificate(setAsActive=True)["certificateArn"]
    iot.attach_thing_principal(thingName="sensor_0", principal=certificate)
    return {key: created[key] for key in ("thingName", "thingArn", "thingId")}


def described(iot: Any) -> dict[str, Any]:
    answer = dict(iot.describe_thing(thingName="sensor_0"))
    answer.pop("ResponseMetadata")
    return answer


def refused(iot: Any, **config: Any) -> dict[str, Any]:
    with pytest.raises(iot.exceptions.ResourceAlreadyExistsException) as raised:
        iot.create_thing(thingName="sensor_0", **config)
    return dict(raised.value.response)


def test_the_same_configuration_twice_answers_the_existing_thing_and_keeps_its_state(
    iot: Any,
) -> None:
    first = thing_with_a_certificate(iot, attributePayload=OURS)
    before = described(iot)
    again = iot.create_thing(thingName="sensor_0", attributePayload={**OURS, "merge": True})
    assert {key: again[key] for key in first} == first
    assert described(iot) == before  # same id, version, attributes
    assert len(iot.list_thing_principals(thingName="sensor_0")["principals"]) == 1


def test_different_attributes_are_refused_with_409_and_nothing_changes(iot: Any) -> None:
    thing_with_a_certificate(iot, attributePayload=OURS)
    before = described(iot)
    answer = refused(iot, attributePayload={"attributes": {"zaws_project": "p2"}})
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert answer["Error"]["Message"] == (
        "Thing sensor_0 already exists in account with different attributes"
    )
    assert described(iot) == before
    assert len(iot.list_thing_principals(thingName="sensor_0")["principals"]) == 1


def test_no_attributes_against_some_is_a_different_configuration(iot: Any) -> None:
    iot.create_thing(thingName="sensor_0")
    refused(iot, attributePayload=OURS)
    assert iot.describe_thing(thingName="sensor_0")["attributes"] == {}
    iot.create_thing(thingName="sensor_0", attributePayload={"attributes": {}})  # none == empty


def test_some_attributes_against_none_is_a_different_configuration(iot: Any) -> None:
    iot.create_thing(thingName="sensor_0", attributePayload=OURS)
    refused(iot)
    assert iot.describe_thing(thingName="sensor_0")["attributes"] == OURS["attributes"]


def test_a_different_thing_type_is_a_different_configuration(iot: Any) -> None:
    for name in ("board", "gateway"):
        iot.create_thing_type(thingTypeName=name)
    first = iot.create_thing(thingName="sensor_0", thingTypeName="board")
    refused(iot, thingTypeName="gateway")
    refused(iot)
    assert iot.describe_thing(thingName="sensor_0")["thingTypeName"] == "board"
    again = iot.create_thing(thingName="sensor_0", thingTypeName="board")
    assert again["thingId"] == first["thingId"]
