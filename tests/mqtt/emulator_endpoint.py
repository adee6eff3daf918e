"""The emulator's MQTT endpoint for end-to-end tests, or a skip saying it is not there yet."""

from __future__ import annotations

from pathlib import Path

import pytest

from zaws.mqtt.endpoints import MqttEndpoint

MISSING = "needs the emulator's MQTT endpoint (data_plane/endpoint.py)"


def require_mqtt_endpoint(home: Path) -> MqttEndpoint:
    from zaws.emulator import control
    from zaws.mqtt.endpoints import emulator_endpoint

    if getattr(control.status(home), "mqtt", None) is None:
        pytest.skip(MISSING)
    return emulator_endpoint(home)
