"""The topics a device of the project uses: the template's and the library's, for one thing.

From server/zaws/template/main.py: samples `{"temperature", "uptime_ms"}` every 5 s on
`<thingname>/samples`, commands on `<thingname>/commands`. From the library
(shared/notes/zerynth-device-library.md): the classic shadow's update and delta, and the jobs
topics it really subscribes to and publishes on.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATE_PERIOD_S = 5.0  # main.py's PUBLISH_EVERY_MS


@dataclass(frozen=True)
class DeviceTopics:
    thing: str

    @property
    def samples(self) -> str:
        return f"{self.thing}/samples"

    @property
    def commands(self) -> str:
        return f"{self.thing}/commands"

    @property
    def things(self) -> str:
        return f"$aws/things/{self.thing}"

    @property
    def shadow_update(self) -> str:
        return f"{self.things}/shadow/update"

    @property
    def shadow_delta(self) -> str:
        return f"{self.things}/shadow/update/delta"

    @property
    def jobs_notify(self) -> str:
        return f"{self.things}/jobs/notify"

    @property
    def jobs_get(self) -> str:
        return f"{self.things}/jobs/get"

    def job(self, job_id: str) -> str:
        return f"{self.things}/jobs/{job_id}"
