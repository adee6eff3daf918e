"""A Zerynth AWS IoT project on disk: its configuration, its things and the active thing.

This is the only code that knows where a project's files are. It never talks to AWS and never
imports boto3: `set-active-thing` runs once per device in mass-programming loops.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zaws.errors import InvalidInput, NotFound, ProjectError
from zaws.project import layout
from zaws.project.atomic_files import (
    PRIVATE_MODE,
    copy_file,
    replace_dir,
    write_json,
)
from zaws.project.config_files import ZawsConf, read_json_object
from zaws.project.thing_names import split_thing_name


@dataclass(frozen=True)
class ThingRecord:
    """A thing's local record: `.aws_things_resources/<name>/`."""

    name: str
    cert_arn: str
    folder: Path

    @property
    def cert_id(self) -> str:
        return self.cert_arn.rsplit("/", 1)[-1]

    @property
    def base_and_index(self) -> tuple[str, int] | None:
        return split_thing_name(self.name)

    @property
    def certificate_path(self) -> Path:
        return self.folder / layout.CERTIFICATE

    @property
    def private_key_path(self) -> Path:
        return self.folder / layout.PRIVATE_KEY


class ThingProject:
    """Open with `ThingProject.open(path)`; every change is written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def open(cls, path: Path | str) -> ThingProject:
        root = Path(path).expanduser().resolve()
        if not root.is_dir():
            raise ProjectError(
                f"No project folder at {root}",
                "check the path, or create one with `zaws thing-project-from-template`",
            )
        if not (root / layout.THING_CONF).is_file():
            raise ProjectError(
                f"{root} is not a zaws project: it has no {layout.THING_CONF}",
                "create one with `zaws thing-project-from-template NAME PATH`",
            )
        return cls(root)

    # -- paths -----------------------------------------------------------------
    @property
    def config_path(self) -> Path:
        return self.root / layout.THING_CONF

    @property
    def zawsconf_path(self) -> Path:
        return self.root / layout.ZAWSCONF

    @property
    def resources_dir(self) -> Path:
        return self.root / layout.RESOURCES_DIR

    @property
    def state_dir(self) -> Path:
        return self.root / layout.STATE_DIR

    # -- configuration -----------------------------------------------------------
    def config(self) -> dict[str, Any]:
        return read_json_object(self.config_path, what=layout.THING_CONF)

    def write_config(self, config: dict[str, Any]) -> None:
        write_json(self.config_path, config)

    @property
    def policy_name(self) -> str:
        policy = self.config().get("policy_name")
        if not isinstance(policy, str) or not policy.strip():
            raise ProjectError(
                f"{self.config_path} has no policy_name",
                "set policy_name in thing.conf.json (create one with `zaws create-policy NAME`)",
            )
        return policy

    def zawsconf(self) -> ZawsConf | None:
        return ZawsConf.read(self.zawsconf_path)

    def write_zawsconf(self, conf: ZawsConf) -> None:
        conf.write(self.zawsconf_path)

    # -- things --------------------------------------------------------------------
    def things(self) -> list[ThingRecord]:
        """Every recorded thing, sorted by base name then index."""
        records = list(self._read_records())
        return sorted(records, key=_sort_key)

    def _read_records(self) -> Iterator[ThingRecord]:
        if not self.resources_dir.is_dir():
            return
        for folder in self.resources_dir.iterdir():
            conf_path = folder / layout.THING_CONF
            if folder.name.startswith(".") or not conf_path.is_file():
                continue
            data = read_json_object(conf_path, what=f"the record of thing {folder.name}")
            yield ThingRecord(
                name=str(data.get("thingname") or folder.name),
                cert_arn=str(data.get("cert_arn", "")),
                folder=folder,
            )

    def thing(self, name: str) -> ThingRecord:
        folder = self.resources_dir / name
        if not (folder / layout.THING_CONF).is_file():
            names = sorted(p.parent.name for p in self.resources_dir.glob("*/" + layout.THING_CONF))
            known = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "") or "none"
            raise NotFound(
                f"The project has no thing named {name!r} (things: {known})",
                "list them with `zaws list-things PROJECT`",
            )
        data = read_json_object(folder / layout.THING_CONF, what=f"the record of thing {name}")
        return ThingRecord(name=name, cert_arn=str(data.get("cert_arn", "")), folder=folder)

    def highest_index(self, base: str) -> int:
        """Highest index of `<base>_<n>` recorded locally, -1 when there is none."""
        indexes = [
            parts[1]
            for parts in (split_thing_name(t.name) for t in self.things())
            if parts and parts[0] == base
        ]
        conf = self.zawsconf()
        if conf and conf.thing_base_name == base:
            indexes.append(conf.last_thing_id)
        return max(indexes, default=-1)

    def record_thing(self, name: str, cert_arn: str, staging: Path) -> ThingRecord:
        """Turn a staging folder holding the key and certificate into the thing's record."""
        write_json(
            staging / layout.THING_CONF,
            {"mqttid": name, "thingname": name, "cert_arn": cert_arn},
        )
        folder = self.resources_dir / name
        replace_dir(staging, folder)
        return ThingRecord(name=name, cert_arn=cert_arn, folder=folder)

    def remove_thing_record(self, name: str) -> None:
        shutil.rmtree(self.resources_dir / name, ignore_errors=True)

    # -- the active thing ------------------------------------------------------------
    @property
    def active_thing_name(self) -> str | None:
        name = self.config().get("thingname")
        return name if isinstance(name, str) and name else None

    def activate(self, record: ThingRecord) -> None:
        """Copy the thing's key and certificate to the top level and point thing.conf.json at it."""
        if not record.private_key_path.is_file() or not record.certificate_path.is_file():
            raise ProjectError(
                f"The key or certificate of {record.name} is missing from {record.folder}",
                "restore them, or remove the thing with iot-cleanup",
            )
        copy_file(record.private_key_path, self.root / layout.PRIVATE_KEY, mode=PRIVATE_MODE)
        copy_file(record.certificate_path, self.root / layout.CERTIFICATE)
        config = self.config()
        config.update(thingname=record.name, mqttid=record.name, cert_arn=record.cert_arn)
        self.write_config(config)
        conf = self.zawsconf()
        parts = record.base_and_index
        if conf is not None and parts is not None and parts[0] == conf.thing_base_name:
            conf.active_thing_id = parts[1]
            self.write_zawsconf(conf)

    def resolve_thing(self, *, thing_id: int | None, thing_name: str | None) -> ThingRecord:
        if thing_name is not None:
            return self.thing(thing_name)
        conf = self.zawsconf()
        if conf is None:
            raise ProjectError(
                f"{self.root} has no things yet", "create some with `zaws add-things`"
            )
        if thing_id is None or thing_id < 0:
            raise InvalidInput("A thing id must be 0 or more", "pass --thing-id N")
        return self.thing(f"{conf.thing_base_name}_{thing_id}")

    def forget_active_thing(self) -> None:
        """After cleanup: no active thing, no stale key or certificate at the top level."""
        for name in (layout.PRIVATE_KEY, layout.CERTIFICATE):
            (self.root / name).unlink(missing_ok=True)
        config = self.config()
        if any(key in config for key in layout.ACTIVE_THING_KEYS):
            for key in layout.ACTIVE_THING_KEYS:
                config.pop(key, None)
            self.write_config(config)


def _sort_key(record: ThingRecord) -> tuple[str, int, str]:
    parts = record.base_and_index
    return (parts[0], parts[1], "") if parts else (record.name, -1, record.name)
