"""The emulator process's data plane: its reserved services let go of moto when it stops."""

from __future__ import annotations

from pathlib import Path

from zaws.emulator import iot_jobs
from zaws.emulator.data_plane import shadow_changes
from zaws.emulator.data_plane.reserved_services import install_reserved_services
from zaws.emulator.process import start_mqtt_endpoint, stop_mqtt_endpoint


def test_stopping_the_endpoint_closes_its_reserved_services(tmp_path: Path) -> None:
    jobs_before, shadows_before = list(iot_jobs._listeners), list(shadow_changes._listeners)
    endpoint = start_mqtt_endpoint(tmp_path, 0, 0, 10.0)
    assert endpoint is not None
    services = install_reserved_services(endpoint.broker, "http://127.0.0.1:1")
    assert len(iot_jobs._listeners) == len(jobs_before) + 1
    assert len(shadow_changes._listeners) == len(shadows_before) + 1
    stop_mqtt_endpoint(endpoint, services)
    assert iot_jobs._listeners == jobs_before  # a job made after this reaches no stopped broker
    assert shadow_changes._listeners == shadows_before
    assert not (tmp_path / "mqtt.json").exists()
