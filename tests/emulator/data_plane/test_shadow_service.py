"""Shadows over MQTT on moto's iot-data backend: accepted, delta, documents, versions, AWS's
errors, named shadows, and the same document that iot-data's own API reads and writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator.data_plane.jobs_fixtures import RecordingPlane, backends, client
from zaws.emulator.data_plane.shadow_service import ShadowService

__all__ = ["backends"]
S = "$aws/things/dev_0/shadow"


@pytest.fixture
def plane() -> RecordingPlane:
    return RecordingPlane()


@pytest.fixture
def shadows(plane: RecordingPlane, backends: dict[str, Any]) -> Iterator[ShadowService]:
    backends["iot"].create_thing("dev_0", None, None)
    service = ShadowService(plane)
    yield service
    service.close()


def send(shadows: ShadowService, plane: RecordingPlane, topic: str, request: Any) -> dict[str, Any]:
    plane.take()
    payload = request if isinstance(request, bytes) else json.dumps(request).encode()
    shadows.on_publish(client(), topic, payload)
    sent = plane.take()
    assert all(m.client_id is None for m in sent)  # published to subscribers, not delivered
    return {m.topic: m.body for m in sent}


def test_it_handles_the_shadow_topics_only(shadows: ShadowService) -> None:
    assert shadows.handles(f"{S}/update") and shadows.handles(f"{S}/name/cfg/get")
    assert not shadows.handles("$aws/things/dev_0/jobs/get")


def test_the_zerynth_report_is_accepted_and_documented_without_a_delta(
    shadows: ShadowService, plane: RecordingPlane
) -> None:
    sent = send(shadows, plane, f"{S}/update", {"state": {"reported": {"temp": 21}}})
    assert set(sent) == {f"{S}/update/accepted", f"{S}/update/documents"}
    accepted = sent[f"{S}/update/accepted"]
    assert accepted["state"] == {"reported": {"temp": 21}} and accepted["version"] == 1
    assert accepted["metadata"]["reported"]["temp"]["timestamp"] == accepted["timestamp"]
    documents = sent[f"{S}/update/documents"]
    assert "previous" not in documents
    assert documents["current"]["state"] == {"reported": {"temp": 21}}


def test_a_desired_change_publishes_the_delta_of_what_differs(
    shadows: ShadowService, plane: RecordingPlane
) -> None:
    send(shadows, plane, f"{S}/update", {"state": {"reported": {"led": "off", "temp": 21}}})
    sent = send(
        shadows,
        plane,
        f"{S}/update",
        {"state": {"desired": {"led": "on", "temp": 21, "cfg": {"a": 1}}}, "clientToken": "t1"},
    )
    delta = sent[f"{S}/update/delta"]
    assert delta["state"] == {"led": "on", "cfg": {"a": 1}} and delta["version"] == 2
    assert set(delta["metadata"]) == {"led", "cfg"} and delta["clientToken"] == "t1"
    documents = sent[f"{S}/update/documents"]
    assert documents["previous"]["version"] == 1 and documents["current"]["version"] == 2
    assert documents["current"]["state"]["desired"]["led"] == "on"
    # the device reports what it was asked: no delta any more
    sent = send(
        shadows, plane, f"{S}/update", {"state": {"reported": {"led": "on", "cfg": {"a": 1}}}}
    )
    assert f"{S}/update/delta" not in sent
    got = send(shadows, plane, f"{S}/get", b"")[f"{S}/get/accepted"]
    assert "delta" not in got["state"] and got["version"] == 3


def test_get_shows_the_delta_and_null_deletes_keys_and_sections(
    shadows: ShadowService, plane: RecordingPlane
) -> None:
    send(
        shadows,
        plane,
        f"{S}/update",
        {"state": {"desired": {"a": 1, "b": 2}, "reported": {"a": 0}}},
    )
    got = send(shadows, plane, f"{S}/get", {"clientToken": "g"})[f"{S}/get/accepted"]
    assert got["state"]["delta"] == {"a": 1, "b": 2} and got["clientToken"] == "g"
    send(shadows, plane, f"{S}/update", {"state": {"desired": {"b": None}}})
    got = send(shadows, plane, f"{S}/get", b"")[f"{S}/get/accepted"]
    assert got["state"]["desired"] == {"a": 1}
    send(shadows, plane, f"{S}/update", {"state": {"desired": None}})
    got = send(shadows, plane, f"{S}/get", b"")[f"{S}/get/accepted"]
    assert "desired" not in got["state"] and got["state"]["reported"] == {"a": 0}


def test_a_stale_version_is_a_conflict_and_a_matching_one_applies(
    shadows: ShadowService, plane: RecordingPlane
) -> None:
    send(shadows, plane, f"{S}/update", {"state": {"reported": {"a": 1}}})
    rejected = send(shadows, plane, f"{S}/update", {"state": {"reported": {"a": 2}}, "version": 7})
    assert rejected[f"{S}/update/rejected"]["code"] == 409
    assert rejected[f"{S}/update/rejected"]["message"] == "Version conflict"
    sent = send(shadows, plane, f"{S}/update", {"state": {"reported": {"a": 2}}, "version": 1})
    assert sent[f"{S}/update/accepted"]["version"] == 2


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"{oops", "Invalid JSON"),
        (b'{"version": 1}', "Missing required node: state"),
        (b'{"state": 3}', "State node must be an object"),
        (b'{"state": {"desired": 3}}', "Desired node must be an object"),
        (b'{"state": {"reported": []}}', "Reported node must be an object"),
        (b'{"state": {"delta": {}}}', "State contains an invalid node: 'delta'"),
        (b'{"state": {"reported": {}}, "version": "1"}', "Invalid version"),
        (
            b'{"state": {"reported": {}}, "clientToken": "' + b"x" * 65 + b'"}',
            "Invalid clientToken",
        ),
        (
            b'{"state": {"reported": {"a": {"b": {"c": {"d": {"e": {"f": {"g": 1}}}}}}}}}',
            "JSON contains too many levels of nesting; maximum is 6",
        ),
    ],
)
def test_malformed_updates_are_rejected_with_awss_400_messages(
    shadows: ShadowService,
    plane: RecordingPlane,
    backends: dict[str, Any],
    payload: bytes,
    message: str,
) -> None:
    sent = send(shadows, plane, f"{S}/update", payload)
    assert sent == {
        f"{S}/update/rejected": {
            "code": 400,
            "message": message,
            "timestamp": sent[f"{S}/update/rejected"]["timestamp"],
        }
    }
    assert backends["iot"].describe_thing("dev_0").thing_shadows == {}


def test_get_and_delete_of_a_missing_shadow_or_thing_are_404(
    shadows: ShadowService, plane: RecordingPlane
) -> None:
    for operation in ("get", "delete"):
        sent = send(shadows, plane, f"{S}/{operation}", b"")
        assert sent[f"{S}/{operation}/rejected"]["code"] == 404
    sent = send(shadows, plane, "$aws/things/ghost/shadow/update", {"state": {}})
    assert sent["$aws/things/ghost/shadow/update/rejected"] == {
        "code": 404,
        "message": "Thing not found",
        "timestamp": sent["$aws/things/ghost/shadow/update/rejected"]["timestamp"],
    }


def test_delete_keeps_the_version_counting(shadows: ShadowService, plane: RecordingPlane) -> None:
    send(shadows, plane, f"{S}/update", {"state": {"reported": {"a": 1}}})
    deleted = send(shadows, plane, f"{S}/delete", {"clientToken": "d"})[f"{S}/delete/accepted"]
    assert deleted["version"] == 2 and deleted["clientToken"] == "d"
    assert send(shadows, plane, f"{S}/get", b"")[f"{S}/get/rejected"]["code"] == 404
    again = send(shadows, plane, f"{S}/update", {"state": {"reported": {"a": 1}}})
    assert again[f"{S}/update/accepted"]["version"] == 3


def test_a_named_shadow_is_its_own_document(
    shadows: ShadowService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    named = f"{S}/name/config"
    sent = send(shadows, plane, f"{named}/update", {"state": {"desired": {"rate": 5}}})
    assert sent[f"{named}/update/delta"]["state"] == {"rate": 5}
    assert send(shadows, plane, f"{S}/get", b"")[f"{S}/get/rejected"]["code"] == 404
    data = backends["iot-data"]
    assert data.list_named_shadows_for_thing("dev_0") == ["config"]


def test_iot_data_reads_what_mqtt_wrote_and_mqtt_what_iot_data_wrote(
    shadows: ShadowService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    data = backends["iot-data"]
    send(shadows, plane, f"{S}/update", {"state": {"reported": {"temp": 21}}})
    assert data.get_thing_shadow("dev_0", None).to_dict()["state"] == {"reported": {"temp": 21}}
    data.update_thing_shadow("dev_0", json.dumps({"state": {"desired": {"temp": 25}}}), None)
    got = send(shadows, plane, f"{S}/get", b"")[f"{S}/get/accepted"]
    assert got["state"]["delta"] == {"temp": 25} and got["version"] == 2


def test_response_topics_and_unknown_operations_get_no_answer(
    shadows: ShadowService, plane: RecordingPlane
) -> None:
    assert send(shadows, plane, f"{S}/update/accepted", {"state": {}}) == {}
    assert send(shadows, plane, f"{S}/list", b"") == {}


def test_a_change_over_iot_datas_http_api_is_published_as_over_mqtt(
    shadows: ShadowService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    data = backends["iot-data"]
    send(shadows, plane, f"{S}/update", {"state": {"reported": {"led": 0}}})
    data.update_thing_shadow(
        "dev_0", json.dumps({"state": {"desired": {"led": 1}}, "clientToken": "h"}), None
    )
    sent = {m.topic: m.body for m in plane.take()}
    assert set(sent) == {f"{S}/update/accepted", f"{S}/update/delta", f"{S}/update/documents"}
    assert sent[f"{S}/update/delta"]["state"] == {"led": 1}
    assert sent[f"{S}/update/delta"]["clientToken"] == "h"
    data.delete_thing_shadow("dev_0", None)
    assert [m.topic for m in plane.take()] == [f"{S}/delete/accepted"]


def test_a_closed_service_publishes_nothing_more(
    shadows: ShadowService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    shadows.close()
    backends["iot-data"].update_thing_shadow("dev_0", '{"state": {"desired": {"a": 1}}}', None)
    assert plane.take() == []
