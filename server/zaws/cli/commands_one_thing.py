"""Commands on single things of a project: remove them, revoke or reactivate their certificate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from zaws.cli.main import Invocation, aws_options, cli
from zaws.cli.output import counted, shell_path

PROJECT = click.Path(file_okay=False, path_type=Path)


@cli.command("remove-thing")
@click.argument("project", type=PROJECT)
@click.argument("names", nargs=-1, required=True)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--dry-run", is_flag=True, help="Only print what would be deleted.")
@aws_options
@click.pass_context
def remove_thing_command(
    ctx: click.Context,
    /,
    project: Path,
    names: tuple[str, ...],
    yes: bool,
    dry_run: bool,
    **options: Any,
) -> None:
    """Remove the things NAMES from PROJECT: their certificate, the thing in AWS, their folder."""
    from zaws.cli.progress_display import ProgressDisplay, stop_on_ctrl_c
    from zaws.operations.progress import Cancellation
    from zaws.operations.remove_things import plan_remove_things, remove_things

    run = Invocation(ctx, options)
    aws = run.aws()
    plan = plan_remove_things(project, list(names), aws=aws)
    kept = plan.things_to_keep
    summary = [
        f"[bold]Remove from {plan.project}[/] ({aws.describe()}): "
        + ", ".join(t.thing_name for t in plan.targets),
        f"  delete {counted(len(plan.things_to_delete), 'thing')} and "
        f"{counted(plan.certificates_to_delete, 'certificate')} in AWS",
        *[f"  keep {t.thing_name} in AWS: {t.reason}" for t in kept],
        *(
            ["  (the active thing: the project will have none)"]
            if plan.active_thing_removed
            else []
        ),
    ]
    if dry_run:
        run.output.result(
            {"dry_run": True, **plan.to_dict()}, [*summary, "Dry run: nothing deleted."]
        )
        return
    run.output.confirm(
        yes=yes,
        action="remove-thing (it deletes things and certificates)",
        question="Remove these things?",
        details=summary,
        hint="pass --yes to confirm (or --dry-run to see the plan)",
    )
    cancel = Cancellation()
    with ProgressDisplay("remove-thing", enabled=len(names) > 1) as display, stop_on_ctrl_c(cancel):
        done = remove_things(project, list(names), aws=aws, progress=display, cancel=cancel)
    lines = [
        f"[green]Removed {counted(len(done.removed), 'thing')}[/]: deleted "
        f"{counted(len(done.things_deleted), 'thing')} and "
        f"{counted(done.certificates_deleted, 'certificate')} in AWS",
        *[f"  kept {k.thing_name} in AWS: {k.reason}" for k in done.things_kept],
    ]
    if done.active_thing_cleared:
        lines.append(
            "  the project has no active thing now: "
            f"zaws set-active-thing {shell_path(Path(done.project))} --thing-name NAME"
        )
    run.output.result(done.to_dict(), lines)


@cli.command("revoke-certificate")
@click.argument("project", type=PROJECT)
@click.argument("name")
@click.option(
    "--deactivate",
    is_flag=True,
    help="INACTIVE instead of REVOKED (reversible: activate-certificate).",
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@aws_options
@click.pass_context
def revoke_certificate_command(
    ctx: click.Context, /, project: Path, name: str, deactivate: bool, yes: bool, **options: Any
) -> None:
    """Stop the certificate of thing NAME now: a device using it can no longer connect."""
    from zaws.operations.certificate_status import set_certificate_status

    run = Invocation(ctx, options)
    status = "INACTIVE" if deactivate else "REVOKED"
    run.output.confirm(
        yes=yes,
        action=f"revoke-certificate ({status} for the certificate of {name})",
        question=f"Make the certificate of {name} {status}?"
        + ("" if deactivate else " A revoked certificate can never be used again."),
        details=[],
        hint="pass --yes to confirm",
    )
    changed = set_certificate_status(project, name, status, aws=run.aws())
    run.output.result(
        changed.to_dict(),
        [status_line(changed.thing_name, changed.status, changed.previous_status)],
    )


@cli.command("activate-certificate")
@click.argument("project", type=PROJECT)
@click.argument("name")
@aws_options
@click.pass_context
def activate_certificate_command(
    ctx: click.Context, /, project: Path, name: str, **options: Any
) -> None:
    """Make the deactivated certificate of thing NAME active again."""
    from zaws.operations.certificate_status import set_certificate_status

    run = Invocation(ctx, options)
    changed = set_certificate_status(project, name, "ACTIVE", aws=run.aws())
    run.output.result(
        changed.to_dict(),
        [status_line(changed.thing_name, changed.status, changed.previous_status)],
    )


def status_line(thing: str, status: str, previous: str) -> str:
    return f"[green]The certificate of {thing} is {status}[/] (was {previous})"


@cli.command("rotate-certificate")
@click.argument("project", type=PROJECT)
@click.argument("names", nargs=-1, required=True)
@click.option(
    "--keep-old",
    is_flag=True,
    help="Leave the old certificate ACTIVE (retire it later with retire-old-certificate).",
)
@click.option(
    "--keys",
    type=click.Choice(["aws", "local"]),
    default="aws",
    show_default=True,
    help="Who makes the new private key, as in add-things.",
)
@click.option("--key-type", type=click.Choice(["rsa-2048", "ec-p256", "ec-p384"]))
@aws_options
@click.pass_context
def rotate_certificate_command(
    ctx: click.Context,
    /,
    project: Path,
    names: tuple[str, ...],
    keep_old: bool,
    keys: str,
    key_type: str | None,
    **options: Any,
) -> None:
    """Give the things NAMES a new key and certificate; the old certificate is retired after."""
    from zaws.cli.commands_things import review_line
    from zaws.cli.progress_display import ProgressDisplay, stop_on_ctrl_c
    from zaws.operations.progress import Cancellation
    from zaws.operations.rotate_certificates import rotate_certificates

    run = Invocation(ctx, options)
    cancel = Cancellation()
    with ProgressDisplay("rotate", enabled=len(names) > 1) as display, stop_on_ctrl_c(cancel):
        done = rotate_certificates(
            project,
            list(names),
            aws=run.aws(),
            retire_old=not keep_old,
            keys=keys,
            key_type=key_type,
            progress=display,
            cancel=cancel,
        )
    fate = "kept ACTIVE (retire-old-certificate retires it)" if keep_old else "retired"
    lines = [
        f"[green]{'Finished' if done.resumed else 'Rotated'} "
        f"{counted(len(done.rotated), 'certificate')}[/]; the old ones {fate}",
        *[f"  {r.thing_name}: {r.new_cert_arn.rsplit('/', 1)[-1][:16]}..." for r in done.rotated],
    ]
    if done.certificates_to_review:
        lines.append(review_line(done.certificates_to_review, Path(done.project)))
    run.output.result(done.to_dict(), lines)


@cli.command("retire-old-certificate")
@click.argument("project", type=PROJECT)
@click.argument("names", nargs=-1, required=True)
@aws_options
@click.pass_context
def retire_old_certificate_command(
    ctx: click.Context, /, project: Path, names: tuple[str, ...], **options: Any
) -> None:
    """Retire the old certificates that rotate-certificate --keep-old left ACTIVE."""
    from zaws.operations.rotate_certificates import retire_old_certificates

    run = Invocation(ctx, options)
    retired = retire_old_certificates(project, list(names), aws=run.aws())
    run.output.result(
        {"project": str(project), "retired": retired},
        [f"[green]Retired the old certificate of {', '.join(retired)}[/]"],
    )
