"""AWS's reserved-topic services made and registered with a broker, in one call for process.py.

`install_reserved_services(broker, emulator_url)`: the Jobs API (its presigned URLs point at
`emulator_url`, the emulator's own S3), the shadows, and the lifecycle events. The returned list
is for `close_reserved_services`, which stops the Jobs and shadow services hearing of moto's
changes.
"""

from __future__ import annotations

from zaws.emulator.data_plane.jobs_service import JobsService
from zaws.emulator.data_plane.lifecycle_events import LifecycleEvents
from zaws.emulator.data_plane.services import DataPlane
from zaws.emulator.data_plane.shadow_service import ShadowService


def install_reserved_services(plane: DataPlane, emulator_url: str) -> list[object]:
    jobs = JobsService(plane, emulator_url)
    shadows = ShadowService(plane)
    plane.register_service(jobs)
    plane.register_service(shadows)
    return [jobs, shadows, LifecycleEvents(plane)]


def close_reserved_services(services: list[object]) -> None:
    for service in services:
        if isinstance(service, (JobsService, ShadowService)):
            service.close()
