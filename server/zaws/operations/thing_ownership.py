"""Which things in AWS a project made: the mark zaws puts on them, and reading it back.

Teams share AWS accounts and reuse base names (`dev_0`, `sensor_3`). CreateThing is idempotent
for the same name and configuration, so without a mark a second project would silently "create" a
colleague's thing and its cleanup would delete it. Every thing zaws creates carries the attribute
`zaws_project=<the project's id>` (kept in `.zawsconf`); CreateThing with another project's id, or
none, on an existing name fails in AWS itself (ResourceAlreadyExistsException), so even a race
between two projects cannot adopt a thing. Things made before zaws marked them carry no id: they
count as the project's only while nothing but the project's own certificates is attached.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from zaws.aws.errors import is_not_found, translate
from zaws.errors import InvalidInput
from zaws.project.config_files import ZawsConf
from zaws.project.thing_project import ThingProject

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient

OWNER_ATTRIBUTE = "zaws_project"


@dataclass(frozen=True)
class RemoteThing:
    name: str
    exists: bool
    owner: str | None = None  # the zaws_project attribute; None: unmarked (or absent)


def project_id_of(proj: ThingProject, base_name: str) -> str:
    """The project's id, made and saved in `.zawsconf` the first time it is needed."""
    conf = proj.zawsconf()
    if conf is not None and conf.project_id:
        return conf.project_id
    made = uuid.uuid4().hex
    if conf is None:
        conf = ZawsConf(thing_base_name=base_name, last_thing_id=-1, project_id=made)
    else:
        conf.project_id = made
    proj.write_zawsconf(conf)
    return made


def owner_attributes(project_id: str) -> dict[str, str]:
    return {OWNER_ATTRIBUTE: project_id}


def describe_remote_thing(iot: IoTClient, name: str) -> RemoteThing:
    try:
        found = iot.describe_thing(thingName=name)
    except ClientError as err:
        if is_not_found(err):
            return RemoteThing(name, exists=False)
        raise
    return RemoteThing(name, True, (found.get("attributes") or {}).get(OWNER_ATTRIBUTE))


def describe_remote_things(iot: IoTClient, names: list[str], workers: int) -> list[RemoteThing]:
    def one(name: str) -> RemoteThing:
        try:
            return describe_remote_thing(iot, name)
        except (BotoCoreError, ClientError) as err:
            raise translate(err, f"looking up thing {name}") from None

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="describe-thing") as pool:
        return list(pool.map(one, names))


def refuse_taken_names(
    iot: IoTClient, names: list[str], project_id: str, *, workers: int, base_name: str
) -> None:
    """Refuse, before any change, names whose things exist in AWS and are not this project's."""
    taken = [
        thing
        for thing in describe_remote_things(iot, names, workers)
        if thing.exists and thing.owner != project_id
    ]
    if taken:
        raise names_taken(taken, base_name)


def names_taken(taken: list[RemoteThing], base_name: str) -> InvalidInput:
    shown = ", ".join(t.name for t in taken[:5]) + (", ..." if len(taken) > 5 else "")
    whose = {
        "another zaws project" if t.owner else "someone else (not made by this project)"
        for t in taken
    }
    return InvalidInput(
        f"{len(taken)} of the things to create already exist in AWS and belong to "
        f"{' and '.join(sorted(whose))}: {shown}; zaws never takes over a thing it did not make",
        f"choose another base name, e.g. --thing-base-name {base_name}-2 "
        "(names are shared by everyone in the AWS account and region)",
    )
