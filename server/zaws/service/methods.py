"""The method table: each zaws/* method's params, the operation it runs, and its result.

Both front ends are thin tables over `METHODS`: the language server adds work-done progress and
cancellation around the `long` ones, `zaws rpc` runs them as they are. Operations are imported
when a method runs, so a server starts without boto3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zaws.aws.settings import AwsSettings
from zaws.errors import ZawsError
from zaws.operations.progress import Cancellation, ProgressCallback
from zaws.service.list_cache import ListCache, project_signature
from zaws.service.params import Params
from zaws.service.results import to_protocol, with_project_uri
from zaws.service.uris import InvalidParams


@dataclass
class CallContext:
    aws: AwsSettings
    progress: ProgressCallback | None = None
    cancel: Cancellation | None = None


Handler = Callable[[Params, CallContext], dict[str, Any]]
LISTINGS = ListCache()


@dataclass(frozen=True)
class Method:
    name: str
    params: frozenset[str]
    handler: Handler
    long: bool = False  # reports progress, honours cancellation
    changes_things: bool = False  # front ends announce zaws/thingsChanged after it
    title: str = ""


def create_project(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.create_project import create_project as run

    name = params.required_string("name")
    parent = params.folder("parentUri")
    made = run(
        name,
        parent,
        endpoint=params.string("endpoint"),
        policy_name=params.string("policyName"),
        aws=ctx.aws,
    )
    return with_project_uri(to_protocol(made.to_dict()), Path(made.path))


def create_policy(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.create_policy import create_policy as run

    made = run(params.required_string("name"), aws=ctx.aws)
    return dict(to_protocol(made.to_dict()))


def add_things(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.add_things import add_things as run

    project = params.folder()
    added = run(
        project,
        aws=ctx.aws,
        base_name=params.string("baseName"),
        count=params.integer("count", minimum=1, maximum=100_000) or 1,
        progress=ctx.progress,
        cancel=ctx.cancel,
    )
    return with_project_uri(to_protocol(added.to_dict()), project)


def set_active_thing(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.set_active_thing import set_active_thing as run

    project = params.folder()
    thing_id = params.integer("thingId", minimum=0, maximum=10**9)
    thing_name = params.string("thingName")
    if (thing_id is None) == (thing_name is None):
        raise InvalidParams("zaws/setActiveThing needs exactly one of thingId and thingName")
    active = run(project, thing_id=thing_id, thing_name=thing_name)
    return with_project_uri(to_protocol(active.to_dict()), project)


def cleanup(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.cleanup import cleanup as run
    from zaws.operations.cleanup import plan_cleanup

    project = params.folder()
    if not params.boolean("confirm", default=False):
        plan = plan_cleanup(project)
        return with_project_uri({"confirmed": False, "plan": to_protocol(plan.to_dict())}, project)
    done = run(project, aws=ctx.aws, progress=ctx.progress, cancel=ctx.cancel)
    return with_project_uri({"confirmed": True, "done": to_protocol(done.to_dict())}, project)


def start_fota(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.fota_start import start_fota as run

    project = params.folder() if params.raw.get("projectUri") is not None else None
    thing = params.string("thingName") or _active_thing_of(project)
    started = run(
        thing,
        params.file("firmwareUri"),
        params.required_string("bucket"),
        params.required_string("role"),
        duration=params.integer("duration", minimum=1, maximum=10**6) or 3600,
        aws=ctx.aws,
        project=project,
    )
    return dict(to_protocol(started.to_dict()))


def list_things(params: Params, ctx: CallContext) -> dict[str, Any]:
    project = params.folder()
    remote = params.boolean("remote", default=False)
    if remote:
        return _list_things(project, ctx.aws)
    root = project.resolve()
    signature = project_signature(root)  # taken first: a change while listing is seen next time
    cached = LISTINGS.get(root, signature)
    if cached is None:
        cached = _list_things(project, None)
        LISTINGS.put(root, signature, cached)
    return cached


def _list_things(project: Path, aws: AwsSettings | None) -> dict[str, Any]:
    from zaws.operations.list_things import list_things as run

    listed = run(project, aws=aws, remote=aws is not None)
    return with_project_uri(to_protocol(listed.to_dict()), project)


def _active_thing_of(project: Path | None) -> str:
    if project is None:
        raise InvalidParams("zaws/startFota needs thingName, or projectUri to use its active thing")
    from zaws.project import ThingProject

    name = ThingProject.open(project).active_thing_name
    if name is None:
        raise InvalidParams("zaws/startFota: the project has no active thing; pass thingName")
    return name


def _method(name: str, params: str, handler: Handler, **flags: Any) -> Method:
    return Method(name, frozenset(params.split()), handler, **flags)


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        _method("zaws/createProject", "name parentUri endpoint policyName", create_project),
        _method("zaws/createPolicy", "name", create_policy),
        _method(
            "zaws/addThings",
            "projectUri baseName count",
            add_things,
            long=True,
            changes_things=True,
            title="Adding things",
        ),
        _method(
            "zaws/setActiveThing",
            "projectUri thingId thingName",
            set_active_thing,
            changes_things=True,
        ),
        _method(
            "zaws/cleanup",
            "projectUri confirm",
            cleanup,
            long=True,
            changes_things=True,
            title="Cleaning up things",
        ),
        _method(
            "zaws/startFota",
            "projectUri thingName firmwareUri bucket role duration",
            start_fota,
            title="Starting FOTA",
        ),
        _method("zaws/listThings", "projectUri remote", list_things),
    )
}


def call(name: str, raw_params: object, ctx: CallContext) -> dict[str, Any]:
    """Run one method; raises ZawsError (with an rpc_code) for every expected failure."""
    method = METHODS.get(name)
    if method is None:
        raise ZawsError(f"Unknown method {name}")  # front ends check the table first
    return method.handler(Params(name, raw_params, method.params), ctx)
