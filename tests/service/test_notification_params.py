"""The params of zaws/deviceEvent and zaws/message, built from the engine's plain data, are what
the contract says: a job's id and status at the top, payloads verbatim, text, JSON or bytes."""

from __future__ import annotations

from tests.protocol.contract import assert_notification_matches
from zaws.devices.events import DeviceEvent, job_event
from zaws.errors import RemoteFailure
from zaws.mqtt.messages import MqttMessage
from zaws.service.notification_params import (
    device_event_params,
    message_params,
    subscription_ended_params,
)

URI = "file:///home/me/device"


def message(payload: bytes) -> MqttMessage:
    return MqttMessage("board_0/samples", payload, 1, False, 1_700_000_000.25)


def test_a_job_event_carries_its_id_and_status_at_the_top() -> None:
    event = job_event("board_0", "fota-1", "FAILED", " (bad crc)", ok=True, reason="bad crc")
    params = device_event_params("devices-1", URI, event)
    assert_notification_matches("zaws/deviceEvent", params)
    assert (params["kind"], params["jobId"], params["status"]) == ("job", "fota-1", "FAILED")
    assert params["data"] == {"ok": True, "reason": "bad crc"}
    assert params["text"] == "job fota-1 FAILED (bad crc)"


def test_facts_get_camel_case_keys_and_payloads_stay_as_they_are() -> None:
    sample = {"temperature": 21, "uptime_ms": 500}
    event = DeviceEvent("board_0", "published", "published", {"topic": "t", "payload": sample})
    connected = DeviceEvent("board_0", "connected", "connected", {"client_id": "board_0"})
    params = device_event_params("devices-1", URI, event)
    assert_notification_matches("zaws/deviceEvent", params)
    assert params["data"]["payload"] == {"temperature": 21, "uptime_ms": 500}
    assert "jobId" not in params
    assert device_event_params("devices-1", URI, connected)["data"] == {"clientId": "board_0"}


def test_messages_as_json_text_or_bytes() -> None:
    as_json = message_params("messages-1", message(b'{"on": null}'))
    assert as_json["payloadJson"] == {"on": None} and as_json["size"] == 12
    as_null = message_params("messages-1", message(b"null"))
    assert "payloadJson" in as_null and as_null["payloadJson"] is None
    as_text = message_params("messages-1", message(b"hello"))
    assert as_text["payloadText"] == "hello" and "payloadJson" not in as_text
    as_bytes = message_params("messages-1", message(b"\xff\x00"))
    assert as_bytes["payloadText"] is None and as_bytes["payloadBase64"] == "/wA="
    for params in (as_json, as_null, as_text, as_bytes):
        assert_notification_matches("zaws/message", params)
        assert params["qos"] == 1 and params["retain"] is False


def test_an_ended_subscription_carries_the_error() -> None:
    params = subscription_ended_params("messages-1", 3, RemoteFailure("closed", "why"))
    assert_notification_matches("zaws/subscriptionEnded", params)
    assert params["error"] == {"code": "zaws.remote", "message": "closed", "hint": "why"}
