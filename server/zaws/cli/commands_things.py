"""Commands on a project's things: add, activate, list, clean up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from zaws.cli.main import Invocation, aws_options, cli
from zaws.cli.output import counted
from zaws.errors import Busy, ZawsError

PROJECT = click.Path(file_okay=False, path_type=Path)


@cli.command("add-things")
@click.argument("project", type=PROJECT)
@click.option(
    "--thing-base-name",
    "--things-base-name",
    "base_name",
    help="Things are named BASE_0, BASE_1, ... (required for the first things).",
)
@click.option(
    "--things-number",
    "count",
    type=click.IntRange(min=1),
    help="How many things (default 1; with --csr-dir, one per CSR file).",
)
@click.option("--workers", type=click.IntRange(1, 64), help="Things created at once.")
@click.option(
    "--keys",
    type=click.Choice(["aws", "local"]),
    help="Who makes each private key: AWS (sent over the network; the default) or this machine "
    "(never sent; the default with --bulk).",
)
@click.option(
    "--key-type",
    type=click.Choice(["rsa-2048", "ec-p256", "ec-p384"]),
    help="With --keys local (default ec-p256); AWS makes rsa-2048 only.",
)
@click.option(
    "--csr-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of the devices' CSRs (their keys never leave them): one thing per file, "
    "in file-name order.",
)
@click.option(
    "--bulk",
    is_flag=True,
    help="Register the batch with one AWS IoT bulk registration task (StartThingRegistrationTask).",
)
@click.option(
    "--bucket",
    help="With --bulk: the S3 bucket for the task's input file (default: one zaws creates).",
)
@aws_options
@click.pass_context
def add_things_command(
    ctx: click.Context,
    /,
    project: Path,
    base_name: str | None,
    count: int | None,
    workers: int | None,
    keys: str | None,
    key_type: str | None,
    csr_dir: Path | None,
    bulk: bool,
    bucket: str | None,
    **options: Any,
) -> None:
    """Create things with keys and certificates and bind them to PROJECT."""
    from zaws.cli.progress_display import ProgressDisplay, stop_on_ctrl_c
    from zaws.operations.add_things import add_things
    from zaws.operations.progress import Cancellation

    run = Invocation(ctx, options)
    cancel = Cancellation()
    try:
        many = bulk or csr_dir is not None or (count or 1) > 1
        with ProgressDisplay("add-things", enabled=many) as display, stop_on_ctrl_c(cancel):
            added = add_things(
                project,
                aws=run.aws(workers),
                base_name=base_name,
                count=count,
                keys=keys,
                key_type=key_type,
                csr_dir=csr_dir,
                bulk=bulk,
                bucket=bucket,
                progress=display,
                cancel=cancel,
            )
    except ZawsError as err:
        raise with_resume_command(err, project) from None
    shown = (
        added.things if len(added.things) <= 6 else [*added.things[:3], "...", *added.things[-2:]]
    )
    rate = len(added.things) / added.seconds if added.seconds else 0.0
    verb = "Finished" if added.resumed else "Created"
    lines = [
        f"[green]{verb} {counted(len(added.things), 'thing')}[/] "
        f"in {added.seconds:.1f} s ({rate:.1f}/s): {', '.join(shown)}",
        f"  active thing: {added.active_thing}",
    ]
    if added.csr_files:
        lines.append("  keys on the devices; from the CSR files " + _csr_mapping(added.csr_files))
    if added.bulk_task_id:
        made = " (created by zaws)" if added.bucket_created else ""
        lines.append(
            f"  bulk registration task {added.bulk_task_id}, input in s3://{added.bucket}{made}"
        )
    if added.orphan_certificates_deleted:
        gone = counted(added.orphan_certificates_deleted, "certificate")
        lines.append(f"  deleted {gone} made for this run's own keys whose answer was lost")
    if added.certificates_to_review:
        lines.append(review_line(added.certificates_to_review, Path(added.project)))
    run.output.result(added.to_dict(), lines)


def _csr_mapping(csr_files: list[dict[str, str]]) -> str:
    pairs = [f"{made['csr_file']} -> {made['thing']}" for made in csr_files]
    return ", ".join(pairs if len(pairs) <= 4 else [*pairs[:2], "...", pairs[-1]])


def review_line(count: int, project: Path) -> str:
    from zaws.cli.output import shell_path

    return (
        f"[yellow]  {counted(count, 'certificate')} may have been made without saving the key "
        f"(an answer from AWS was lost); review: zaws orphan-certificates {shell_path(project)}[/]"
    )


def with_resume_command(err: ZawsError, project: Path) -> ZawsError:
    """The error, its hint naming the exact command that finishes an interrupted run."""
    from zaws.operations.add_things import resume_command
    from zaws.project.add_things_journal import AddThingsJournal
    from zaws.project.thing_project import ThingProject

    try:
        plan = AddThingsJournal(ThingProject.open(project).state_dir).pending_plan()
    except (ZawsError, OSError):
        return err
    if plan is None or isinstance(err, Busy):
        return err
    command = resume_command(project, plan)
    if command in (err.hint or ""):  # the error names it already
        return err
    hint = f"{err.hint}; " if err.hint else ""
    return type(err)(err.message, f"{hint}to finish: {command}")


@cli.command("set-active-thing")
@click.argument("project", type=PROJECT)
@click.option("--thing-id", type=int, help="Index N of BASE_N (BASE from .zawsconf).")
@click.option("--thing-name", help="The thing's full name.")
@click.option(
    "-J", "--json", "as_json", is_flag=True, default=None, help="Print the result as JSON."
)
@click.pass_context
def set_active_thing_command(
    ctx: click.Context,
    /,
    project: Path,
    thing_id: int | None,
    thing_name: str | None,
    as_json: bool | None,
) -> None:
    """Make a thing the one compiled into PROJECT (copies its key and certificate)."""
    from zaws.operations.set_active_thing import set_active_thing

    run = Invocation(ctx, {"as_json": as_json})
    if thing_id is None and thing_name is None:
        thing_id = 0  # the original's default
    active = set_active_thing(project, thing_id=thing_id, thing_name=thing_name)
    if run.output.as_json:
        run.output.result(active.to_dict(), [])
    else:
        click.echo(f"Active thing: {active.thing_name}")


@cli.command("list-things")
@click.argument("project", type=PROJECT)
@click.option("--remote", is_flag=True, help="Also ask AWS whether each thing still exists.")
@aws_options
@click.pass_context
def list_things_command(ctx: click.Context, /, project: Path, remote: bool, **options: Any) -> None:
    """List PROJECT's things, the active one marked."""
    from zaws.operations.list_things import list_things

    run = Invocation(ctx, options)
    listing = list_things(project, aws=run.aws() if remote else None, remote=remote)
    lines = [f"[bold]{listing.project}[/]: {counted(len(listing.things), 'thing')}"]
    for thing in listing.things:
        mark = "[green]*[/]" if thing.active else " "
        status = ""
        if thing.remote is not None:
            exists = "exists" if thing.remote["thing_exists"] else "[red]missing[/]"
            status = f"  [dim]{exists}, certificate {thing.remote['certificate_status']}[/]"
        missing = (
            f"  [red]{' and '.join(thing.missing_files)} missing[/]" if thing.missing_files else ""
        )
        stopped = (
            f"  [red]certificate {thing.certificate_status}[/]" if thing.certificate_status else ""
        )
        on_device = "  [dim]key on the device[/]" if thing.key_on_device else ""
        lines.append(f" {mark} {thing.name}{on_device}{missing}{stopped}{status}")
    for stray in listing.stray_records:
        lines.append(f"[yellow]Ignored, not a thing:[/] {stray['folder']} ({stray['reason']})")
    if listing.pending_add_things:
        lines.append("[yellow]An add-things run was interrupted: run it again to finish it.[/]")
    run.output.result(listing.to_dict(), lines)


@cli.command("iot-cleanup")
@click.argument("project", type=PROJECT)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--dry-run", is_flag=True, help="Only print what would be deleted.")
@click.option("--workers", type=click.IntRange(1, 64), help="Things deleted at once.")
@aws_options
@click.pass_context
def iot_cleanup_command(
    ctx: click.Context,
    /,
    project: Path,
    yes: bool,
    dry_run: bool,
    workers: int | None,
    **options: Any,
) -> None:
    """Delete PROJECT's things and certificates in AWS, then locally."""
    from zaws.cli.progress_display import ProgressDisplay, stop_on_ctrl_c
    from zaws.operations.cleanup import cleanup, plan_cleanup
    from zaws.operations.progress import Cancellation

    run = Invocation(ctx, options)
    aws = run.aws(workers)
    plan = plan_cleanup(project, aws=aws)
    deleted = plan.things_to_delete
    kept = plan.things_to_keep
    summary = [
        f"[bold]Cleanup of {plan.project}[/] ({aws.describe()})",
        f"  remotely: delete {counted(len(deleted), 'thing')} and "
        f"{counted(plan.certificates_to_delete, 'certificate')} "
        "(policies detached, certificates deactivated and deleted)",
        *[f"    {name}" for name in deleted[:10]],
        *([f"    ... and {len(deleted) - 10} more"] if len(deleted) > 10 else []),
        *(
            [f"  keep {counted(len(kept), 'thing')} in AWS (only this project's certificates go):"]
            if kept
            else []
        ),
        *[f"    {t.thing_name}: {t.reason}" for t in kept[:10]],
        *([f"    ... and {len(kept) - 10} more"] if len(kept) > 10 else []),
        "  locally: " + (", ".join(Path(p).name for p in plan.local_paths) or "nothing"),
    ]
    if plan.certificates_to_review:
        summary.append(review_line(len(plan.certificates_to_review), Path(plan.project)))
    if dry_run:
        run.output.result(
            {"dry_run": True, **plan.to_dict()}, [*summary, "Dry run: nothing deleted."]
        )
        return
    run.output.confirm(
        yes=yes,
        action="iot-cleanup (it deletes things and certificates)",
        question="Delete all of this?",
        details=summary,
        hint="pass --yes to confirm (or --dry-run to see the plan)",
    )
    cancel = Cancellation()
    with (
        ProgressDisplay("cleanup", enabled=len(plan.targets) > 1) as display,
        stop_on_ctrl_c(cancel),
    ):
        done = cleanup(project, aws=aws, progress=display, cancel=cancel)
    lines = [
        f"[green]Deleted {counted(len(done.things_deleted), 'thing')} and "
        f"{counted(done.certificates_deleted, 'certificate')}[/]",
        *(
            [f"  kept {counted(len(done.things_kept), 'thing')} in AWS:"]
            if done.things_kept
            else []
        ),
        *[f"    {k.thing_name}: {k.reason}" for k in done.things_kept[:10]],
        "  removed locally: "
        + (", ".join(Path(p).name for p in done.local_paths_removed) or "nothing"),
    ]
    if done.certificates_to_review:
        lines.append(review_line(done.certificates_to_review, Path(done.project)))
    run.output.result(done.to_dict(), lines)


@cli.command("orphan-certificates")
@click.argument("project", type=PROJECT)
@click.option("--delete", is_flag=True, help="Delete the certificates listed (asks first).")
@click.option("--yes", "-y", is_flag=True, help="With --delete: do not ask for confirmation.")
@aws_options
@click.pass_context
def orphan_certificates_command(
    ctx: click.Context, /, project: Path, delete: bool, yes: bool, **options: Any
) -> None:
    """List (or delete) certificates an interrupted add-things may have made without their key.

    AWS cannot tell who made a certificate: these are INACTIVE, attached to nothing, unknown to
    PROJECT and created while one of its certificate requests went unanswered. Check the list
    before deleting: a colleague's certificate made in the same seconds would look the same.
    """
    from zaws.operations.orphan_certificates import (
        delete_orphan_certificates,
        review_orphan_certificates,
    )

    run = Invocation(ctx, options)
    aws = run.aws()
    review = review_orphan_certificates(project, aws=aws)
    lines = [
        f"[bold]{review.project}[/]: {counted(review.requests, 'certificate request')} whose "
        f"answer was lost; {counted(len(review.candidates), 'candidate')}",
        *[
            f"  {c.certificate_id}  created {c.created}  (request for {c.requested_for})"
            for c in review.candidates
        ],
    ]
    if not delete or not review.candidates:
        if delete:
            review = delete_orphan_certificates(project, aws=aws, certificate_ids=[])
        run.output.result(review.to_dict(), lines)
        return
    run.output.confirm(
        yes=yes,
        action="orphan-certificates --delete",
        question=f"Delete these {counted(len(review.candidates), 'certificate')}?",
        details=lines,
        hint="pass --yes to confirm",
    )
    ids = [c.certificate_id for c in review.candidates]
    done = delete_orphan_certificates(project, aws=aws, certificate_ids=ids)
    run.output.result(
        done.to_dict(),
        [
            f"[green]Deleted {counted(len(done.deleted), 'certificate')}[/]"
            + (f" ({len(done.already_gone)} already gone)" if done.already_gone else "")
        ],
    )
