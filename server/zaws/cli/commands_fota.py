"""FOTA commands: bucket and role setup, start a job, verify it, watch it, cancel it, delete it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from zaws.cli.main import Invocation, aws_options, cli
from zaws.cli.output import counted

if TYPE_CHECKING:
    from zaws.operations.fota_jobs import ExecutionStatus
    from zaws.operations.fota_start import FotaStarted
    from zaws.operations.fota_verify import FotaVerification

PROJECT = click.Path(file_okay=False, path_type=Path)
STATUS_STYLE = {
    "COMPLETED": "[green]✔[/]",
    "SUCCEEDED": "[green]✔[/]",
    "CANCELED": "[yellow]⊘[/]",
    "DELETED": "[dim]∅[/]",
    "FAILED": "[red]✘[/]",
    "IN_PROGRESS": "[cyan]▶[/]",
    "QUEUED": "[cyan]…[/]",
}


@click.argument("things", nargs=-1, metavar="[THING]...")
# A str: click would make "" Path("."), and the operation says an empty path is missing.
@click.argument("firmware", type=click.Path(dir_okay=False))
@click.argument("s3_bucket")
@click.argument("s3_role")
@click.option(
    "--duration",
    type=int,
    default=3600,
    show_default=True,
    help="Seconds the device's presigned download URL stays valid (60-3600).",
)
@click.option("--project", type=PROJECT, help="Record the job in this project (and target it).")
@click.option("--all-things", is_flag=True, help="Target every thing of --project.")
@click.option("--thing-group", help="Target this thing group.")
@click.option("--sync-group", is_flag=True, help="Create the group and make it --project's things.")
@click.option("--max-per-minute", type=int, help="Rollout rate: things notified per minute.")
@click.option("--abort-failed-percent", type=float, help="Cancel the job when this % fail.")
@click.option(
    "--abort-min-executed",
    type=int,
    default=1,
    show_default=True,
    help="...counted once this many things have finished.",
)
@click.option("--no-verify", is_flag=True, help="Do not verify the job after starting it.")
@click.option(
    "--force",
    is_flag=True,
    help="Create the job even when the checks before it find devices could not run it.",
)
@aws_options
@click.pass_context
def iot_fota_start(
    ctx: click.Context,
    /,
    things: tuple[str, ...],
    firmware: str,
    s3_bucket: str,
    s3_role: str,
    duration: int,
    project: Path | None,
    all_things: bool,
    thing_group: str | None,
    sync_group: bool,
    max_per_minute: int | None,
    abort_failed_percent: float | None,
    abort_min_executed: int,
    no_verify: bool,
    force: bool,
    **options: Any,
) -> None:
    """Upload FIRMWARE (from `link -J`) to S3_BUCKET and start a FOTA job.

    Targets: the THINGs named, every thing of --project with --all-things, or --thing-group.
    S3_ROLE (name or ARN) must let AWS IoT read the bucket. Before the job is created, the
    document, the firmware's download, the bucket's region and the role are checked: a job devices
    could not run is refused unless --force. The job id is the last line printed.
    """
    from zaws.operations.fota_start import FotaTargets, Rollout, start_fota_campaign

    run = Invocation(ctx, options)
    job = start_fota_campaign(
        FotaTargets(things, all_things, thing_group, sync_group),
        firmware,
        s3_bucket,
        s3_role,
        duration=duration,
        rollout=Rollout(max_per_minute, abort_failed_percent, abort_min_executed),
        aws=run.aws(),
        project=project,
        verify=not no_verify,
        force=force,
    )
    run.output.result(job.to_dict(), [*_started_lines(job), job.job_id])
    if job.verification is not None:
        _fail_if_unsound(job.verification, started=True)


def _started_lines(job: FotaStarted) -> list[str]:
    if job.thing_group:
        whom = f"group {job.thing_group} ({counted(len(job.things), 'thing')})"
    else:
        whom = ", ".join(job.things[:5]) + (
            f" and {len(job.things) - 5} more" * (len(job.things) > 5)
        )
    lines = [
        f"[green]Started FOTA job[/] for {whom}: bytecode slot {job.document['bc_idx']}, "
        f"{job.document['bc_size']} bytes, MD5 {job.document['bc_crc']}",
        f"  firmware: s3://{job.bucket}/{job.bytecode_key} ({job.bucket_region}), "
        f"URL valid {job.duration} s",
    ]
    changes = job.group_changes or {}
    if changes.get("created") or changes.get("added") or changes.get("removed"):
        lines.append(
            f"  group {job.thing_group}: {'created, ' if changes['created'] else ''}"
            f"added {len(changes['added'])}, removed {len(changes['removed'])}"
        )
    if job.rollout:
        lines.append(f"  rollout: {_rollout_text(job.rollout)}")
    if job.recorded_in:
        lines.append(f"  recorded in {job.recorded_in}")
    if job.forced and job.preflight is not None:
        lines.append("  [yellow]created with --force[/] although devices could not run it:")
        lines.extend(_verification_lines(job.preflight)[1:])
    if job.verification is not None:
        lines.extend(_verification_lines(job.verification))
    return lines


def _rollout_text(options: dict[str, Any]) -> str:
    parts = []
    rate = options.get("jobExecutionsRolloutConfig", {}).get("maximumPerMinute")
    if rate:
        parts.append(f"at most {rate} things per minute")
    for rule in options.get("abortConfig", {}).get("criteriaList", []):
        parts.append(
            f"cancel when {rule['thresholdPercentage']:g} % failed "
            f"(after {rule['minNumberOfExecutedThings']} finished)"
        )
    return ", ".join(parts)


def _verification_lines(check: FotaVerification) -> list[str]:
    if check.ok and not check.findings:
        return [f"  [green]verified[/]: {len(check.passed)} checks passed"]
    lines = [f"  verification: {len(check.passed)} checks passed, {len(check.findings)} findings"]
    for finding in check.findings:
        mark = "[red]✘[/]" if finding.severity == "error" else "[yellow]?[/]"
        lines.append(f"    {mark} {finding.message} -- {finding.hint}")
    return lines


def _fail_if_unsound(check: FotaVerification, *, started: bool) -> None:
    from zaws.operations.fota_verify import FotaJobUnsound

    if check.ok:
        return
    errors = sum(f.severity == "error" for f in check.findings)
    raise FotaJobUnsound(
        f"The FOTA job {check.job_id} {'was started but ' if started else ''}would fail on "
        f"devices ({errors} problems listed above)",
        f"fix them, then run `zaws iot-fota-verify {check.job_id}`; or stop the job with "
        f"`zaws iot-fota-cancel {check.job_id}`",
    )


cli.command("iot-fota-start")(iot_fota_start)
cli.command("iot-fota_start", hidden=True)(iot_fota_start)  # the seed's own spelling


@cli.command("iot-fota-verify")
@click.argument("job_id")
@click.option("--project", type=PROJECT, help="The project the job was started from.")
@aws_options
@click.pass_context
def iot_fota_verify(
    ctx: click.Context, /, job_id: str, project: Path | None, **options: Any
) -> None:
    """Check that JOB_ID will work on devices: document, firmware, checksum, role, URL validity."""
    from zaws.operations.fota_verify import verify_fota_job

    run = Invocation(ctx, options)
    check = verify_fota_job(job_id, aws=run.aws(), project=project)
    run.output.result(check.to_dict(), [f"[bold]{job_id}[/]", *_verification_lines(check)])
    _fail_if_unsound(check, started=False)


@cli.command("iot-fota-jobs")
@click.argument("project", type=PROJECT)
@click.option("--offline", is_flag=True, help="Only the project's record; do not ask AWS.")
@aws_options
@click.pass_context
def iot_fota_jobs(ctx: click.Context, /, project: Path, offline: bool, **options: Any) -> None:
    """List the FOTA jobs started from PROJECT, with their status in AWS."""
    from datetime import datetime

    from zaws.operations.fota_jobs import list_fota_jobs

    run = Invocation(ctx, options)
    listing = list_fota_jobs(project, aws=None if offline else run.aws())
    lines = [f"[bold]{listing.project}[/]: {counted(len(listing.jobs), 'FOTA job')}"]
    for job in listing.jobs:
        when = datetime.fromtimestamp(job.started_at).strftime("%Y-%m-%d %H:%M")
        whom = f"group {job.thing_group}" if job.thing_group else counted(len(job.things), "thing")
        counts = ", ".join(f"{n} {k}" for k, n in job.counts.items() if n)
        status = job.status or "not checked"
        lines.append(
            f" {STATUS_STYLE.get(status, ' ')} {job.job_id}  {status}  {when}  {whom}"
            + (f"  [dim]{counts}[/]" if counts else "")
        )
    run.output.result(listing.to_dict(), lines)


@cli.command("iot-fota-describe")
@click.argument("job_id")
@aws_options
@click.pass_context
def iot_fota_describe(ctx: click.Context, /, job_id: str, **options: Any) -> None:
    """Show JOB_ID's status and each thing's execution."""
    from zaws.operations.fota_jobs import describe_fota_job

    run = Invocation(ctx, options)
    job = describe_fota_job(job_id, aws=run.aws())
    lines = [
        f"[bold]{job.job_id}[/] {STATUS_STYLE.get(job.status, '')} {job.status}",
        f"  created {job.created_at}, URL valid {job.url_validity} s",
        f"  targets: {', '.join(t.rsplit('/', 1)[-1] for t in job.targets)}",
    ]
    rollout = _rollout_text({"jobExecutionsRolloutConfig": job.rollout, "abortConfig": job.abort})
    if rollout:
        lines.append(f"  rollout: {rollout}")
    counts = ", ".join(f"{n} {k}" for k, n in job.counts.items() if n)
    if counts:
        lines.append(f"  {counts}")
    lines.extend(execution_line(execution) for execution in job.executions)
    run.output.result(job.to_dict(), lines)


def execution_line(execution: ExecutionStatus) -> str:
    """`✗ dev_1  FAILED  (reason: bad crc, check: ...)`: what the device said, when it did."""
    mark = STATUS_STYLE.get(execution.status, " ")
    said = execution.status_details or {}
    reason = f"  ({', '.join(f'{k}: {v}' for k, v in said.items())})" if said else ""
    return f"    {mark} {execution.thing_name}  {execution.status}{reason}"


@cli.command("iot-fota-cancel")
@click.argument("job_id")
@click.option("--force", is_flag=True, help="Also cancel executions in progress on devices.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@aws_options
@click.pass_context
def iot_fota_cancel(
    ctx: click.Context, /, job_id: str, force: bool, yes: bool, **options: Any
) -> None:
    """Cancel JOB_ID: queued devices will not update (with --force, in-progress ones stop too)."""
    from zaws.operations.fota_jobs import cancel_fota_job

    run = Invocation(ctx, options)
    details = [f"Cancel FOTA job {job_id} ({run.aws().describe()})"]
    if force:
        details.append("  --force: devices updating now are stopped and may be left half-updated")
    run.output.confirm(
        yes=yes, action=f"Cancelling job {job_id}", question="Cancel this job?", details=details
    )
    done = cancel_fota_job(job_id, aws=run.aws(), force=force)
    if done.previous_status in {"COMPLETED", "CANCELED"}:
        lines = [f"Job {job_id} was already {done.previous_status}: nothing to cancel"]
    else:
        lines = [f"[yellow]Cancelled[/] job {job_id} ({done.previous_status} -> {done.status})"]
    if done.left_running:
        lines.append(f"  {done.left_running} executions in progress keep running (use --force)")
    run.output.result(done.to_dict(), lines)


@cli.command("iot-fota-delete")
@click.argument("job_id")
@click.option("--force", is_flag=True, help="Delete the job even while it is active.")
@click.option("--project", type=PROJECT, help="Also forget the job in this project.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@aws_options
@click.pass_context
def iot_fota_delete(
    ctx: click.Context,
    /,
    job_id: str,
    force: bool,
    project: Path | None,
    yes: bool,
    **options: Any,
) -> None:
    """Delete JOB_ID from AWS IoT (a job already gone is not an error)."""
    from zaws.operations.fota_jobs import delete_fota_job

    run = Invocation(ctx, options)
    details = [f"Delete FOTA job {job_id} and its executions ({run.aws().describe()})"]
    run.output.confirm(
        yes=yes, action=f"Deleting job {job_id}", question="Delete this job?", details=details
    )
    done = delete_fota_job(job_id, aws=run.aws(), force=force, project=project)
    line = f"[green]Deleted[/] job {job_id}" if done.existed else f"Job {job_id} was already gone"
    if done.forgotten_by_project:
        line += "; the project forgot it"
    run.output.result(done.to_dict(), [line])


@cli.command("fota-setup")
@click.option("--bucket", required=True, help="S3 bucket for firmware (created if missing).")
@click.option("--role", required=True, help="IAM role AWS IoT assumes to presign downloads.")
@aws_options
@click.pass_context
def fota_setup_command(ctx: click.Context, /, bucket: str, role: str, **options: Any) -> None:
    """Create the firmware bucket and the role AWS IoT uses to read it, when missing."""
    from zaws.operations.fota_setup import fota_setup

    run = Invocation(ctx, options)
    done = fota_setup(bucket, role, aws=run.aws())
    role_state = "created (trusts AWS IoT, reads this bucket)" if done.role_created else None
    run.output.result(
        done.to_dict(),
        [
            f"[green]Bucket[/] s3://{done.bucket} ({done.bucket_region}): "
            f"{'created' if done.bucket_created else 'already there'}",
            f"[green]Role[/] {done.role_arn}: {role_state or 'already there'}",
        ],
    )
