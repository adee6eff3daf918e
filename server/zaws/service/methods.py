"""The method table: each zaws/* method's params, the operation it runs, and its result.

Both front ends are thin tables over `METHODS`: the language server adds work-done progress and
cancellation around the `long` ones, `zaws rpc` runs them as they are. Operations are imported
when a method runs, so a server starts without boto3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zaws.aws.settings import AwsSettings
from zaws.errors import ConfirmationRequired, ZawsError, local_file_error
from zaws.operations.progress import Cancellation, ProgressCallback
from zaws.service import background_methods
from zaws.service.list_cache import ListCache, project_signature
from zaws.service.params import Params
from zaws.service.results import fota_started, fota_verification, to_protocol, with_project_uri
from zaws.service.uris import InvalidParams

if TYPE_CHECKING:
    from zaws.operations.fota_targets import FotaTargets
    from zaws.service.background import Background


@dataclass
class CallContext:
    aws: AwsSettings
    progress: ProgressCallback | None = None
    cancel: Cancellation | None = None
    background: Background | None = None  # the server's simulated devices and subscriptions


Handler = Callable[[Params, CallContext], dict[str, Any]]
LISTINGS = ListCache()


@dataclass(frozen=True)
class Method:
    name: str
    params: frozenset[str]
    handler: Handler
    long: bool = False  # reports progress, honours cancellation
    uses_background: bool = False  # needs CallContext.background (devices, subscriptions)
    changes_things: bool = False  # front ends announce zaws/thingsChanged after it
    changes_jobs: bool = False  # the language server announces zaws/fotaJobsChanged after it
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

    made = run(params.required_string("name"), aws=ctx.aws, topics=params.strings("topics") or [])
    return dict(to_protocol(made.to_dict()))


def add_things(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.add_things import add_things as run

    project = params.folder()
    added = run(
        project,
        aws=ctx.aws,
        base_name=params.string("baseName"),
        count=params.integer("count", minimum=1, maximum=100_000),
        keys=params.string("keys"),
        key_type=params.string("keyType"),
        csr_dir=params.folder("csrDir") if params.string("csrDir") else None,
        bulk=params.boolean("bulk", default=False),
        bucket=params.string("bucket"),
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
        plan = plan_cleanup(project, aws=ctx.aws)
        return with_project_uri({"confirmed": False, "plan": to_protocol(plan.to_dict())}, project)
    done = run(project, aws=ctx.aws, progress=ctx.progress, cancel=ctx.cancel)
    return with_project_uri({"confirmed": True, "done": to_protocol(done.to_dict())}, project)


def remove_things(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.remove_things import plan_remove_things
    from zaws.operations.remove_things import remove_things as run

    project = params.folder()
    names = params.strings("thingNames") or []
    if not names:
        raise InvalidParams("zaws/removeThings needs thingNames: at least one thing's name")
    if not params.boolean("confirm", default=False):
        plan = plan_remove_things(project, names, aws=ctx.aws)
        return with_project_uri({"confirmed": False, "plan": to_protocol(plan.to_dict())}, project)
    done = run(project, names, aws=ctx.aws, progress=ctx.progress, cancel=ctx.cancel)
    return with_project_uri({"confirmed": True, "done": to_protocol(done.to_dict())}, project)


def set_certificate_status(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.certificate_status import STATUSES
    from zaws.operations.certificate_status import set_certificate_status as run

    project = params.folder()
    thing = params.required_string("thingName")
    status = params.required_string("status")
    if status not in STATUSES:
        raise InvalidParams(
            f"zaws/setCertificateStatus: status must be one of {', '.join(STATUSES)}"
        )
    if status != "ACTIVE":
        _confirmed(params, f"Making the certificate of {thing} {status}")
    changed = run(project, thing, status, aws=ctx.aws)
    return with_project_uri(to_protocol(changed.to_dict()), project)


def rotate_certificates(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.rotate_certificates import rotate_certificates as run

    project = params.folder()
    names = params.strings("thingNames") or []
    if not names:
        raise InvalidParams("zaws/rotateCertificates needs thingNames: at least one thing's name")
    rotated = run(
        project,
        names,
        aws=ctx.aws,
        retire_old=not params.boolean("keepOld", default=False),
        keys=params.string("keys") or "aws",
        key_type=params.string("keyType"),
        progress=ctx.progress,
        cancel=ctx.cancel,
    )
    return with_project_uri(to_protocol(rotated.to_dict()), project)


def start_fota(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.fota_start import Rollout, start_fota_campaign

    project = _optional_project(params)
    firmware = params.file("firmwareUri")
    bucket = params.required_string("bucket")
    role = params.required_string("role")
    duration = params.integer("duration", minimum=1, maximum=10**6) or 3600
    rollout = Rollout(
        max_per_minute=params.integer("maxPerMinute", minimum=1, maximum=1000),
        abort_failed_percent=params.number("abortFailedPercent", above=0, maximum=100),
        abort_min_executed=params.integer("abortMinExecuted", minimum=1, maximum=10**9) or 1,
    )
    verify = params.boolean("verify", default=True)
    force = params.boolean("force", default=False)
    started = start_fota_campaign(
        _fota_targets(params, project),
        firmware,
        bucket,
        role,
        duration=duration,
        rollout=rollout,
        aws=ctx.aws,
        project=project,
        verify=verify,
        force=force,
    )
    return fota_started(started)


def _fota_targets(params: Params, project: Path | None) -> FotaTargets:
    """One way of naming the targets; none: the project's active thing (the seed's form)."""
    from zaws.operations.fota_targets import FotaTargets

    thing = params.string("thingName")
    things = params.strings("thingNames")
    all_things = params.boolean("allThings", default=False)
    group = params.string("thingGroup")
    sync = params.boolean("syncGroup", default=False)
    if sum([thing is not None, things is not None, all_things, group is not None]) > 1:
        raise InvalidParams(
            "zaws/startFota takes one of thingName, thingNames, allThings and thingGroup"
        )
    if sync and group is None:
        raise InvalidParams("zaws/startFota: syncGroup needs thingGroup")
    if (all_things or sync) and project is None:
        raise InvalidParams("zaws/startFota: allThings and syncGroup need projectUri")
    if group is not None:
        return FotaTargets(thing_group=group, sync_group=sync)
    if all_things:
        return FotaTargets(all_project_things=True)
    return FotaTargets(things=tuple(things or [thing or _active_thing_of(project)]))


def verify_fota(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.fota_verify import verify_fota_job

    checked = verify_fota_job(
        params.required_string("jobId"), aws=ctx.aws, project=_optional_project(params)
    )
    return fota_verification(checked)


def list_fota_jobs(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.fota_jobs import list_fota_jobs as run

    project = params.folder()
    remote = params.boolean("remote", default=True)
    listed = run(project, aws=ctx.aws if remote else None)
    return with_project_uri(to_protocol(listed.to_dict()), project)


def describe_fota_job(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.fota_jobs import describe_fota_job as run

    return dict(to_protocol(run(params.required_string("jobId"), aws=ctx.aws).to_dict()))


def cancel_fota_job(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.fota_jobs import cancel_fota_job as run

    job_id = params.required_string("jobId")
    force = params.boolean("force", default=False)
    _confirmed(params, f"Cancelling the FOTA job {job_id}" + (" with force" if force else ""))
    return dict(to_protocol(run(job_id, aws=ctx.aws, force=force).to_dict()))


def delete_fota_job(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.fota_jobs import delete_fota_job as run

    job_id = params.required_string("jobId")
    project = _optional_project(params)
    force = params.boolean("force", default=False)
    _confirmed(params, f"Deleting the FOTA job {job_id}")
    deleted = run(job_id, aws=ctx.aws, force=force, project=project)
    return dict(to_protocol(deleted.to_dict()))


def fota_setup(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.fota_setup import fota_setup as run

    done = run(params.required_string("bucket"), params.required_string("role"), aws=ctx.aws)
    return dict(to_protocol(done.to_dict()))


def _optional_project(params: Params) -> Path | None:
    return params.folder() if params.raw.get("projectUri") is not None else None


def _confirmed(params: Params, action: str) -> None:
    if not params.boolean("confirm", default=False):
        raise ConfirmationRequired(f"{action} needs a confirmation", "pass confirm: true")


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
    from zaws.project.thing_project import ThingProject

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
        _method("zaws/createPolicy", "name topics", create_policy),
        _method(
            "zaws/addThings",
            "projectUri baseName count keys keyType csrDir bulk bucket",
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
            "zaws/removeThings",
            "projectUri thingNames confirm",
            remove_things,
            long=True,
            changes_things=True,
            title="Removing things",
        ),
        _method(
            "zaws/setCertificateStatus",
            "projectUri thingName status confirm",
            set_certificate_status,
            changes_things=True,
        ),
        _method(
            "zaws/rotateCertificates",
            "projectUri thingNames keepOld keys keyType",
            rotate_certificates,
            long=True,
            changes_things=True,
            title="Rotating certificates",
        ),
        _method(
            "zaws/startFota",
            "projectUri thingName thingNames allThings thingGroup syncGroup firmwareUri bucket"
            " role duration maxPerMinute abortFailedPercent abortMinExecuted verify force",
            start_fota,
            changes_jobs=True,
            title="Starting FOTA",
        ),
        _method("zaws/listThings", "projectUri remote", list_things),
        _method("zaws/verifyFota", "jobId projectUri", verify_fota),
        _method("zaws/listFotaJobs", "projectUri remote", list_fota_jobs),
        _method("zaws/describeFotaJob", "jobId", describe_fota_job),
        _method("zaws/cancelFotaJob", "jobId force confirm", cancel_fota_job, changes_jobs=True),
        _method(
            "zaws/deleteFotaJob",
            "jobId projectUri force confirm",
            delete_fota_job,
            changes_jobs=True,
        ),
        _method("zaws/fotaSetup", "bucket role", fota_setup),
        _method(
            "zaws/startDevices",
            "projectUri thingNames allThings every fotaResult",
            background_methods.start_devices,
            uses_background=True,
        ),
        _method(
            "zaws/stopDevices",
            "sessionId projectUri thingNames all",
            background_methods.stop_devices,
            uses_background=True,
        ),
        _method(
            "zaws/listDevices",
            "projectUri",
            background_methods.list_devices,
            uses_background=True,
        ),
        _method("zaws/checkDevice", "projectUri thingName", background_methods.check_device),
        _method(
            "zaws/subscribe",
            "projectUri filters thingName qos",
            background_methods.subscribe,
            uses_background=True,
        ),
        _method(
            "zaws/unsubscribe",
            "subscriptionId",
            background_methods.unsubscribe,
            uses_background=True,
        ),
    )
}


def call(name: str, raw_params: object, ctx: CallContext) -> dict[str, Any]:
    """Run one method; raises ZawsError (with an rpc_code) for every expected failure."""
    method = METHODS.get(name)
    if method is None:
        raise ZawsError(f"Unknown method {name}")  # front ends check the table first
    try:
        return method.handler(Params(name, raw_params, method.params), ctx)
    except OSError as err:  # a read-only folder, a name too long...: the user's to fix
        raise local_file_error(err) from None
