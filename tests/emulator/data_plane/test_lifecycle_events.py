"""Lifecycle events from the broker's connection changes: AWS's topics and payloads."""

from __future__ import annotations

import time

from tests.emulator.data_plane.jobs_fixtures import RecordingPlane, client
from zaws.emulator.data_plane.lifecycle_events import LifecycleEvents
from zaws.emulator.data_plane.services import ClientInfo


def test_a_connection_and_its_end_are_published_with_one_session_id() -> None:
    plane = RecordingPlane()
    LifecycleEvents(plane)
    (listener,) = plane.listeners
    before = int(time.time() * 1000)
    listener(client("dev_0"), True, "")
    listener(client("dev_0"), False, "DUPLICATE_CLIENTID")
    connected, disconnected = plane.take()
    assert connected.client_id is None and disconnected.client_id is None  # to subscribers
    assert connected.topic == "$aws/events/presence/connected/dev_0"
    assert disconnected.topic == "$aws/events/presence/disconnected/dev_0"
    up, down = connected.body, disconnected.body
    assert up["clientId"] == "dev_0" and up["eventType"] == "connected"
    assert up["principalIdentifier"] == "cert" and up["ipAddress"] == "127.0.0.1"
    assert before <= up["timestamp"] <= down["timestamp"] <= int(time.time() * 1000)
    assert "disconnectReason" not in up and "clientInitiatedDisconnect" not in up
    assert down["eventType"] == "disconnected"
    assert down["sessionIdentifier"] == up["sessionIdentifier"]
    assert down["disconnectReason"] == "DUPLICATE_CLIENTID"
    assert down["clientInitiatedDisconnect"] is False
    assert up["versionNumber"] == down["versionNumber"] == 1


def test_each_connection_has_its_own_session_and_a_higher_version() -> None:
    plane = RecordingPlane()
    events = LifecycleEvents(plane)
    for _ in range(2):
        events.connection_changed(client("dev_0"), True, "")
        events.connection_changed(client("dev_0"), False, "CLIENT_INITIATED_DISCONNECT")
    sent = [m.body for m in plane.take()]
    assert [e["versionNumber"] for e in sent] == [1, 1, 2, 2]
    assert sent[0]["sessionIdentifier"] != sent[2]["sessionIdentifier"]
    assert sent[1]["clientInitiatedDisconnect"] is True


def test_client_ids_with_wildcards_get_no_events() -> None:
    plane = RecordingPlane()
    events = LifecycleEvents(plane)
    wild = ClientInfo("dev+1", None, "123456789012", "us-east-1", 5)
    events.connection_changed(wild, True, "")
    assert plane.take() == []
