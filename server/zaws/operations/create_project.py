"""`thing-project-from-template`: a new device project from zaws's AWS IoT template.

Steps: refuse a name that is not a plain folder name (control characters, path separators) and a
policy name create-policy would refuse, before anything is written; refuse an existing folder;
fill in the endpoint (given, or the account's ATS data endpoint when credentials are available);
write the template into a hidden temporary folder and rename it into place, so a failure never
leaves a half-made project.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, ZawsError
from zaws.operations.create_policy import check_policy_name
from zaws.project import layout
from zaws.project.atomic_files import write_json

TEMPLATE_FILES = ("main.py", "helpers.py", "readme.md", "thing.conf.json", ".gitignore")


@dataclass(frozen=True)
class ProjectCreated:
    path: str
    endpoint: str
    endpoint_source: str  # "given", "account" (looked up) or "unset"
    policy_name: str
    endpoint_note: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def create_project(
    name: str,
    parent: Path,
    *,
    endpoint: str | None = None,
    policy_name: str | None = None,
    aws: AwsSettings | None = None,
) -> ProjectCreated:
    check_project_name(name)
    if policy_name is not None:
        check_policy_name(policy_name)
    parent = Path(parent).expanduser().resolve()
    target = parent / name
    if target.exists():
        raise InvalidInput(
            f"{target} already exists; zaws never overwrites a folder",
            "choose another name or path, or remove the folder first",
        )
    if not parent.is_dir():
        raise InvalidInput(f"The folder {parent} does not exist", "create it first")

    source, note = "given", None
    if not endpoint:
        endpoint, note = _account_endpoint(aws)
        source = "account" if endpoint else "unset"

    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=parent))
    try:
        template = resources.files("zaws") / "template"
        for file_name in TEMPLATE_FILES:
            (staging / file_name).write_bytes((template / file_name).read_bytes())
        write_json(
            staging / layout.THING_CONF,
            {"endpoint": endpoint or "", "policy_name": policy_name or ""},
        )
        staging.chmod(0o755)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ProjectCreated(
        path=str(target),
        endpoint=endpoint or "",
        endpoint_source=source,
        policy_name=policy_name or "",
        endpoint_note=note,
    )


def check_project_name(name: str) -> None:
    """A plain folder name: not empty, not `.`/`..`, no path separator, no control character."""
    hint = "use a plain folder name (letters, digits, '-', '_', '.')"
    if not name.strip() or name in {".", ".."}:
        raise InvalidInput(f"{name!r} is not a usable project name", hint)
    separators = {"/", "\\", os.sep, os.altsep or "/"} & set(name)
    if separators:
        shown = " ".join(repr(c) for c in sorted(separators))
        raise InvalidInput(
            f"The project name {name!r} contains a path separator ({shown})",
            "pass the parent folder as PATH and a plain folder name as NAME",
        )
    control = sorted({c for c in name if unicodedata.category(c).startswith("C")})
    if control:
        shown = ", ".join(f"U+{ord(c):04X}" for c in control)
        raise InvalidInput(
            f"The project name {name!r} contains control or invisible characters ({shown})", hint
        )


def _account_endpoint(aws: AwsSettings | None) -> tuple[str, str | None]:
    """The account's ATS data endpoint, or ("", why not) when it cannot be looked up."""
    if aws is None:
        return "", "no AWS settings given"
    from zaws.aws.clients import AwsClients
    from zaws.aws.errors import aws_errors

    try:
        clients = AwsClients(aws)
        with aws_errors("looking up the account's IoT data endpoint"):
            address = clients.iot.describe_endpoint(endpointType="iot:Data-ATS")
        return address["endpointAddress"], None
    except ZawsError as err:
        return "", err.one_line()
