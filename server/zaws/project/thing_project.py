"""A Zerynth AWS IoT project on disk: its configuration, its things and the active thing.

This is the only code that knows where a project's files are, and the only one that decides which
folders of `.aws_things_resources/` are things: a folder named as a thing, holding a
thing.conf.json whose `thingname` is that name and whose `cert_arn` is a certificate ARN. Any
other folder with a thing.conf.json is a stray record: no operation treats it as a thing (cleanup
never deletes a remote thing of its name), and listings report it. It never talks to AWS and never
imports boto3: `set-active-thing` runs once per device in mass-programming loops.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from zaws.errors import InvalidInput, NotFound, ProjectError
from zaws.project import layout, thing_names
from zaws.project.atomic_files import (
    PRIVATE_MODE,
    PUBLIC_MODE,
    copy_file,
    replace_dir,
    write_json,
)
from zaws.project.config_files import ZawsConf, read_json_object
from zaws.project.device_key import DeviceKey, read_device_key
from zaws.project.retired_numbers import RetiredNumbers
from zaws.project.thing_names import check_thing_name, is_thing_name, split_thing_name

# An AWS IoT certificate ARN (aws, aws-cn, aws-us-gov partitions); its id is 64 hex digits.
CERT_ARN = re.compile(r"arn:aws[a-z-]*:iot:[a-z0-9-]+:[0-9]{12}:cert/[0-9a-f]{64}")

STOPPED_STATUSES = ("INACTIVE", "REVOKED")
PREVIOUS = ".previous"  # suffix of a rotated-out key and certificate, kept until retired


@dataclass(frozen=True)
class ThingRecord:
    """A thing's local record: `.aws_things_resources/<name>/`."""

    name: str
    cert_arn: str
    folder: Path
    # INACTIVE or REVOKED when zaws stopped the certificate (revoke-certificate); None: active.
    certificate_status: str | None = None
    # The certificate a rotation replaced, still in AWS until retired (its files: *.previous).
    previous_cert_arn: str | None = None
    # Set when the thing's key lives on the device (made from its CSR): no private.pem.key.
    device_key: DeviceKey | None = None

    @property
    def cert_arns(self) -> list[str]:
        """Every certificate of the project's that this thing holds in AWS."""
        return [self.cert_arn] + ([self.previous_cert_arn] if self.previous_cert_arn else [])

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

    @property
    def key_on_device(self) -> bool:
        return self.device_key is not None

    @property
    def missing_files(self) -> list[str]:
        """The key and certificate files the record lacks (empty when all are there); a key that
        lives on the device is not missing."""
        wanted = [self.private_key_path, self.certificate_path]
        if self.key_on_device:
            wanted.remove(self.private_key_path)
        return [path.name for path in wanted if not path.is_file()]


@dataclass(frozen=True)
class StrayRecord:
    """A folder of `.aws_things_resources/` with a thing.conf.json that is not a thing's record."""

    folder: Path
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"folder": str(self.folder), "reason": self.reason}


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
        """Every recorded thing, sorted by base name then index (stray records left out)."""
        return self.records()[0]

    def stray_records(self) -> list[StrayRecord]:
        return self.records()[1]

    def records(self) -> tuple[list[ThingRecord], list[StrayRecord]]:
        """The things, sorted by base name then index, and the stray records, by folder name."""
        things: list[ThingRecord] = []
        strays: list[StrayRecord] = []
        for folder in self._record_folders():
            record = _read_record(folder)
            if isinstance(record, ThingRecord):
                things.append(record)
            else:
                strays.append(record)
        return sorted(things, key=_sort_key), sorted(strays, key=lambda s: s.folder.name)

    def _record_folders(self) -> Iterator[Path]:
        """Folders of `.aws_things_resources/` with a thing.conf.json (hidden ones are zaws's)."""
        try:
            if not self.resources_dir.is_dir():
                return
            folders = list(self.resources_dir.iterdir())
        except OSError as err:
            raise _os_error(err, "read") from None
        for folder in folders:
            if not folder.name.startswith(".") and (folder / layout.THING_CONF).exists():
                yield folder

    def thing(self, name: str) -> ThingRecord:
        """The thing `name`; InvalidInput for a name that is not a thing name (never a path)."""
        check_thing_name(name)
        folder = self.resources_dir / name
        if not (folder / layout.THING_CONF).exists():
            names = sorted(p.parent.name for p in self.resources_dir.glob("*/" + layout.THING_CONF))
            known = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "") or "none"
            raise NotFound(
                f"The project has no thing named {name!r} (things: {known})",
                "list them with `zaws list-things PROJECT`",
            )
        record = _read_record(folder)
        if isinstance(record, StrayRecord):
            raise ProjectError(
                f"{folder} is not the record of a thing: {record.reason}",
                "fix or remove that folder (`zaws list-things PROJECT` lists such folders)",
            )
        return record

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
        indexes.append(RetiredNumbers(self.state_dir).highest(base))  # removed things' numbers
        return max(indexes, default=-1)

    def record_thing(self, name: str, cert_arn: str, staging: Path) -> ThingRecord:
        """Turn a staging folder holding the key and certificate into the thing's record."""
        check_thing_name(name)
        write_json(
            staging / layout.THING_CONF,
            {"mqttid": name, "thingname": name, "cert_arn": cert_arn},
        )
        folder = self.resources_dir / name
        replace_dir(staging, folder)
        return ThingRecord(name=name, cert_arn=cert_arn, folder=folder)

    def record_certificate_status(self, record: ThingRecord, status: str) -> ThingRecord:
        """Note in the thing's record that its certificate was stopped (or is active again)."""
        path = record.folder / layout.THING_CONF
        data = read_json_object(path, what=f"the record of {record.name}")
        data.pop("certificate_status", None)
        if status in STOPPED_STATUSES:
            data["certificate_status"] = status
        write_json(path, data)
        stopped = status if status in STOPPED_STATUSES else None
        return replace(record, certificate_status=stopped)

    def replace_credentials(self, record: ThingRecord, cert_arn: str, staging: Path) -> ThingRecord:
        """After a rotation: the staged key and certificate become the thing's, atomically; the old
        ones stay beside them as `*.previous` until the old certificate is retired."""
        for name, mode in ((layout.PRIVATE_KEY, PRIVATE_MODE), (layout.CERTIFICATE, PUBLIC_MODE)):
            old = record.folder / name
            if old.is_file():
                copy_file(old, staging / f"{name}{PREVIOUS}", mode=mode)
        data = read_json_object(
            record.folder / layout.THING_CONF, what=f"the record of {record.name}"
        )
        data.pop("certificate_status", None)
        data.update(cert_arn=cert_arn, previous_cert_arn=record.cert_arn)
        write_json(staging / layout.THING_CONF, data)
        replace_dir(staging, record.folder)
        return ThingRecord(record.name, cert_arn, record.folder, None, record.cert_arn)

    def forget_previous_certificate(self, record: ThingRecord) -> ThingRecord:
        """The old certificate of a rotation is gone from AWS: its files and note go too."""
        path = record.folder / layout.THING_CONF
        data = read_json_object(path, what=f"the record of {record.name}")
        if data.pop("previous_cert_arn", None) is not None:
            write_json(path, data)
        for name in (layout.PRIVATE_KEY, layout.CERTIFICATE):
            (record.folder / f"{name}{PREVIOUS}").unlink(missing_ok=True)
        return replace(record, previous_cert_arn=None)

    def remove_thing_record(self, name: str) -> None:
        check_thing_name(name)  # names may come from files (the journal): never a path
        shutil.rmtree(self.resources_dir / name, ignore_errors=True)

    # -- the active thing ------------------------------------------------------------
    @property
    def active_thing_name(self) -> str | None:
        name = self.config().get("thingname")
        return name if isinstance(name, str) and name else None

    def activate(self, record: ThingRecord) -> None:
        """Copy the thing's key and certificate to the top level and point thing.conf.json at it."""
        if record.certificate_status == "REVOKED":
            raise ProjectError(
                f"The certificate of {record.name} is revoked: a device with it cannot connect",
                f"give it a new certificate (zaws rotate-certificate PROJECT {record.name}) "
                "or make another thing active",
            )
        if record.certificate_status == "INACTIVE":
            raise ProjectError(
                f"The certificate of {record.name} is deactivated: a device with it cannot connect",
                f"activate it first: zaws activate-certificate PROJECT {record.name}",
            )
        if record.missing_files:
            raise ProjectError(
                f"The key or certificate of {record.name} is missing from {record.folder}",
                "restore them, or remove the thing with iot-cleanup",
            )
        config = self.config()
        conf = self.zawsconf()
        try:
            if record.key_on_device:  # no key here: a previous thing's would be stale
                (self.root / layout.PRIVATE_KEY).unlink(missing_ok=True)
            else:
                copy_file(
                    record.private_key_path, self.root / layout.PRIVATE_KEY, mode=PRIVATE_MODE
                )
            copy_file(record.certificate_path, self.root / layout.CERTIFICATE)
            config.update(thingname=record.name, mqttid=record.name, cert_arn=record.cert_arn)
            self.write_config(config)
            parts = record.base_and_index
            if conf is not None and parts is not None and parts[0] == conf.thing_base_name:
                conf.active_thing_id = parts[1]
                self.write_zawsconf(conf)
        except OSError as err:
            raise _os_error(err, "write") from None

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
        name = thing_names.thing_name(conf.thing_base_name, thing_id)
        if not is_thing_name(name):
            if is_thing_name(thing_names.thing_name(conf.thing_base_name, 0)):
                raise InvalidInput(
                    f"--thing-id {thing_id} is too large: {name[:40]}... is not a thing name",
                    "pass the id of one of the project's things",
                )
            raise ProjectError(
                f"{self.zawsconf_path}: thing_base_name {conf.thing_base_name!r} cannot start "
                "a thing name",
                "fix .zawsconf by hand, or pass --thing-name NAME",
            )
        return self.thing(name)

    def forget_active_thing(self) -> None:
        """After cleanup: no active thing, no stale key or certificate at the top level."""
        for name in (layout.PRIVATE_KEY, layout.CERTIFICATE):
            (self.root / name).unlink(missing_ok=True)
        config = self.config()
        if any(key in config for key in layout.ACTIVE_THING_KEYS):
            for key in layout.ACTIVE_THING_KEYS:
                config.pop(key, None)
            self.write_config(config)


def _read_record(folder: Path) -> ThingRecord | StrayRecord:
    """The thing recorded in `folder`, or why that folder is not a thing's record."""
    if folder.is_symlink():
        return StrayRecord(folder, "it is a link; a thing's record is a folder of the project")
    if not is_thing_name(folder.name):
        return StrayRecord(folder, "its name is not a thing name")
    try:
        data = read_json_object(folder / layout.THING_CONF, what=f"the record of {folder.name}")
    except ProjectError as err:
        return StrayRecord(folder, err.message)
    name = data.get("thingname")
    if name != folder.name:
        return StrayRecord(folder, f"its thingname {_short(name)} is not its folder's name")
    arn = data.get("cert_arn")
    if not isinstance(arn, str) or not CERT_ARN.fullmatch(arn):
        what = "no cert_arn" if arn is None else f"cert_arn {_short(arn)}"
        return StrayRecord(folder, f"it has {what}, not an AWS IoT certificate ARN")
    status = data.get("certificate_status")
    stopped = status if status in STOPPED_STATUSES else None
    previous = data.get("previous_cert_arn")
    return ThingRecord(
        name=folder.name,
        cert_arn=arn,
        folder=folder,
        certificate_status=stopped,
        previous_cert_arn=previous
        if isinstance(previous, str) and CERT_ARN.fullmatch(previous)
        else None,
        device_key=read_device_key(folder),
    )


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _os_error(err: OSError, verb: str) -> ProjectError:
    """`cannot write PATH: Permission denied` for an operating-system failure on the project."""
    where = err.filename if err.filename is not None else "the project"
    return ProjectError(
        f"cannot {verb} {where}: {err.strerror or err}",
        "check the project folder's permissions and free space",
    )


def _sort_key(record: ThingRecord) -> tuple[str, int, str]:
    parts = record.base_and_index
    return (parts[0], parts[1], "") if parts else (record.name, -1, record.name)
