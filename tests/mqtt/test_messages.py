"""Messages as `zaws -J mqtt subscribe` prints them: JSON parsed, text kept, bytes in base64."""

from __future__ import annotations

from zaws.mqtt.messages import MqttMessage


def message(payload: bytes, *, retain: bool = False) -> MqttMessage:
    return MqttMessage("dev/sensor_0/data", payload, 1, retain, 1_764_633_600.25)


def test_a_json_payload_is_parsed() -> None:
    data = message(b'{"t": 21.5, "ok": true}').to_dict()
    assert data["payload"] == {"t": 21.5, "ok": True}
    assert (data["topic"], data["qos"], data["retain"]) == ("dev/sensor_0/data", 1, False)


def test_text_stays_text_and_bytes_are_base64() -> None:
    assert message(b"hello").to_dict()["payload"] == "hello"
    assert message(b"").to_dict()["payload"] == ""
    binary = message(b"\xff\x00", retain=True).to_dict()
    assert binary["payload"] is None and binary["payload_base64"] == "/wA="
    assert binary["retain"] is True
