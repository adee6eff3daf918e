"""Who a FOTA job updates: named things, every thing of a project, or a thing group.

A group can be kept in step with the project (created when missing, the project's things added,
things no longer in the project removed), so a fleet job keeps targeting exactly the project.
Every target is checked to exist before anything is uploaded. With `defer_group_changes` the
group's changes are only planned, and `apply_group_changes` makes them once the start is sure to
create the job (a start its pre-flight refuses changes no group).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from zaws.aws.errors import aws_errors, is_not_found
from zaws.errors import InvalidInput, NotFound, ProjectError
from zaws.operations.aws_lookups import thing_arn
from zaws.project.thing_project import ThingProject

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient

GROUP_NAME = re.compile(r"^[a-zA-Z0-9:_-]{1,128}$")
THING_NAME = GROUP_NAME  # AWS IoT's pattern for both
TARGETS_HINT = "name one or more things, or pass --project PATH with --all-things or --thing-group"


@dataclass(frozen=True)
class FotaTargets:
    """Exactly one of: `things`, `all_project_things`, `thing_group`."""

    things: tuple[str, ...] = ()
    all_project_things: bool = False
    thing_group: str | None = None
    sync_group: bool = False  # make the group's members the project's things (needs a project)


@dataclass
class ResolvedTargets:
    arns: list[str]  # what the job targets: thing ARNs, or the group's ARN
    things: list[str]  # the things it reaches (a group's members)
    label: str  # names the job and its S3 folder
    thing_group: str | None = None
    group_created: bool = False
    group_added: list[str] = field(default_factory=list)
    group_removed: list[str] = field(default_factory=list)


def check_targets(targets: FotaTargets, project: ThingProject | None) -> None:
    """The choice of targets is coherent; no AWS call."""
    for name in targets.things:
        if not name.strip():
            raise InvalidInput("A thing name is required (an empty one was given)", TARGETS_HINT)
        if not THING_NAME.match(name):
            raise InvalidInput(
                f"{name!r} is not a valid thing name",
                "use 1-128 characters of letters, digits, ':', '_' and '-'",
            )
    if targets.thing_group is not None and not targets.thing_group.strip():
        raise InvalidInput("A thing group name is required (an empty one was given)", TARGETS_HINT)
    chosen = sum([bool(targets.things), targets.all_project_things, bool(targets.thing_group)])
    if chosen != 1:
        raise InvalidInput("Choose the targets of the FOTA job one way", TARGETS_HINT)
    if (targets.all_project_things or targets.sync_group) and project is None:
        raise InvalidInput("--all-things and --sync-group need the project", "pass --project PATH")
    if targets.sync_group and not targets.thing_group:
        raise InvalidInput("--sync-group needs a group", "pass --thing-group NAME")
    if targets.thing_group and not GROUP_NAME.match(targets.thing_group):
        raise InvalidInput(
            f"{targets.thing_group!r} is not a valid thing group name",
            "use 1-128 characters of letters, digits, ':', '_' and '-'",
        )


def resolve_targets(
    targets: FotaTargets,
    *,
    iot: IoTClient,
    project: ThingProject | None,
    defer_group_changes: bool = False,
) -> ResolvedTargets:
    check_targets(targets, project)
    if targets.thing_group:
        resolved = _group(targets.thing_group, iot, project if targets.sync_group else None)
        if not defer_group_changes:
            apply_group_changes(resolved, iot)
        return resolved
    if targets.all_project_things:
        assert project is not None
        names = [t.name for t in project.things()]
        if not names:
            raise ProjectError(
                f"The project {project.root.name} has no things", "add some with `zaws add-things`"
            )
        label = project.root.name
    else:
        names = list(dict.fromkeys(targets.things))
        label = names[0] if len(names) == 1 else f"{names[0]}-and-{len(names) - 1}-more"
    return ResolvedTargets(arns=[thing_arn(iot, n) for n in names], things=names, label=label)


def apply_group_changes(resolved: ResolvedTargets, iot: IoTClient) -> None:
    """Create the planned group when it is missing and add and remove the planned members."""
    group = resolved.thing_group
    if group is None:
        return
    with aws_errors(f"updating thing group {group}"):
        if not resolved.arns:
            resolved.arns = [iot.create_thing_group(thingGroupName=group)["thingGroupArn"]]
            resolved.group_created = True
        for name in resolved.group_added:
            iot.add_thing_to_thing_group(thingGroupName=group, thingName=name)
        for name in resolved.group_removed:
            iot.remove_thing_from_thing_group(thingGroupName=group, thingName=name)


def _group(name: str, iot: IoTClient, project: ThingProject | None) -> ResolvedTargets:
    """The group and its members; with a project, the changes that keep it in step (planned)."""
    arn: str | None = None
    with aws_errors(f"looking up thing group {name}"):
        try:
            arn = iot.describe_thing_group(thingGroupName=name)["thingGroupArn"]
        except ClientError as err:
            if not is_not_found(err):
                raise
            if project is None:
                raise NotFound(
                    f"The thing group {name!r} does not exist",
                    "pass --project PATH --sync-group to create it from the project's things",
                ) from None
        members = _members(iot, name) if arn is not None else []
    resolved = ResolvedTargets(
        arns=[arn] if arn is not None else [], things=members, label=name, thing_group=name
    )
    if project is not None:
        _plan_sync(iot, resolved, [t.name for t in project.things()])
    if not resolved.things:
        raise InvalidInput(
            f"The thing group {name!r} has no things", "add things to it, or use --sync-group"
        )
    return resolved


def _members(iot: IoTClient, group: str) -> list[str]:
    names: list[str] = []
    for page in iot.get_paginator("list_things_in_thing_group").paginate(thingGroupName=group):
        names.extend(page.get("things", []))
    return names


def _plan_sync(iot: IoTClient, resolved: ResolvedTargets, wanted: list[str]) -> None:
    current = set(resolved.things)
    resolved.group_added = [n for n in wanted if n not in current]
    resolved.group_removed = sorted(current - set(wanted))
    with aws_errors(f"checking the things of group {resolved.thing_group}"):
        for name in resolved.group_added:
            thing_arn(iot, name)  # a clear error for a thing missing remotely
    resolved.things = list(wanted)
