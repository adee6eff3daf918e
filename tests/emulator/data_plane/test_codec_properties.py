"""`Properties` as the broker uses it: an immutable, hashable mapping that checks names, types and
ranges when made, so a mistake is found where it is written and not on the wire."""

from __future__ import annotations

import pytest

from zaws.emulator.data_plane.codec import (
    MQTT_5,
    MQTT_311,
    NO_PROPERTIES,
    Connack,
    Properties,
    Puback,
    Publish,
    encode,
)


def test_properties_are_an_immutable_hashable_mapping() -> None:
    properties = Properties({"content_type": "json"}, user_property=[("a", "1"), ("b", "2")])

    assert properties == {"content_type": "json", "user_property": (("a", "1"), ("b", "2"))}
    assert properties["user_property"] == (("a", "1"), ("b", "2"))
    assert hash(properties) == hash(Properties(properties))
    assert Properties() == NO_PROPERTIES == {}
    with pytest.raises(TypeError):
        properties["content_type"] = "text"  # type: ignore[index]


def test_a_subscription_identifier_is_always_a_tuple_and_empty_lists_are_no_property() -> None:
    assert Properties(subscription_identifier=7)["subscription_identifier"] == (7,)
    assert Properties(subscription_identifier=[1, 2])["subscription_identifier"] == (1, 2)
    assert Properties(user_property=[]) == NO_PROPERTIES


@pytest.mark.parametrize(
    ("items", "error"),
    [
        ({"no_such_property": 1}, TypeError),
        ({"content_type": b"json"}, TypeError),
        ({"correlation_data": "text"}, TypeError),
        ({"receive_maximum": 0}, ValueError),  # 1..65535
        ({"payload_format_indicator": 2}, ValueError),
        ({"message_expiry_interval": 1 << 32}, ValueError),
        ({"session_expiry_interval": True}, TypeError),
        ({"user_property": [("a",)]}, TypeError),
        ({"subscription_identifier": 0}, ValueError),
    ],
)
def test_wrong_properties_are_refused_when_made(items: dict[str, object], error: type) -> None:
    with pytest.raises(error):
        Properties(items)


@pytest.mark.parametrize(
    ("packet", "level"),
    [
        (Puback(1, 0, Properties(reason_string="x")), MQTT_311),  # no properties on 3.1.1
        (Puback(1, 0x10), MQTT_311),  # nor reason codes
        (Connack(False, 0x87), MQTT_311),  # 3.1.1 return codes are 0..5
        (Connack(True, 0x87), MQTT_5),  # a refusal has no session
        (Publish("t", b"", properties=Properties(session_expiry_interval=1)), MQTT_5),
        (Publish("t", b"", 1), MQTT_5),  # QoS 1 without a packet id
        (Publish("t", b"", 0, packet_id=1), MQTT_5),
    ],
)
def test_what_cannot_be_said_at_a_level_is_a_value_error(packet: object, level: int) -> None:
    with pytest.raises(ValueError):
        encode(packet, level)  # type: ignore[arg-type]
