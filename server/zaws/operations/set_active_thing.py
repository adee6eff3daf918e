"""`set-active-thing`: make one thing the one the next compile and uplink use.

Purely local and cheap (no boto3 import): mass-programming scripts run it once per device. Copies
the thing's key and certificate to the project's top level and writes its name, MQTT id and
certificate ARN into thing.conf.json.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from zaws.errors import InvalidInput
from zaws.project.thing_project import ThingProject


@dataclass(frozen=True)
class ActiveThing:
    project: str
    thing_name: str
    cert_arn: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def set_active_thing(
    project: Path, *, thing_id: int | None = None, thing_name: str | None = None
) -> ActiveThing:
    if (thing_id is None) == (thing_name is None):
        raise InvalidInput(
            "Name the thing to activate by id or by name, not both and not neither",
            "pass --thing-id N or --thing-name NAME",
        )
    proj = ThingProject.open(project)
    record = proj.resolve_thing(thing_id=thing_id, thing_name=thing_name)
    proj.activate(record)
    return ActiveThing(project=str(proj.root), thing_name=record.name, cert_arn=record.cert_arn)
