"""FOTA commands: start an update job for a thing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from zaws.cli.main import Invocation, aws_options, cli


@click.argument("thing")
@click.argument("firmware", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("s3_bucket")
@click.argument("s3_role")
@click.option(
    "--duration",
    type=int,
    default=3600,
    show_default=True,
    help="Seconds the device's presigned download URL stays valid (60-3600).",
)
@aws_options
@click.pass_context
def iot_fota_start(
    ctx: click.Context,
    /,
    thing: str,
    firmware: Path,
    s3_bucket: str,
    s3_role: str,
    duration: int,
    **options: Any,
) -> None:
    """Upload FIRMWARE (from `link -J`) to S3_BUCKET and start a FOTA job for THING.

    S3_ROLE (name or ARN) must let AWS IoT read the bucket.
    """
    from zaws.operations.fota_start import start_fota

    run = Invocation(ctx, options)
    job = start_fota(thing, firmware, s3_bucket, s3_role, duration=duration, aws=run.aws())
    if run.output.as_json:
        run.output.result(job.to_dict(), [])
        return
    console_lines = [
        f"[green]Started FOTA job[/] for {job.thing_name}: bytecode slot {job.document['bc_idx']}, "
        f"{job.document['bc_size']} bytes, MD5 {job.document['bc_crc']}",
        f"  firmware: s3://{job.bucket}/{job.bytecode_key} ({job.bucket_region}), "
        f"URL valid {job.duration} s",
        job.job_id,
    ]
    run.output.result(job.to_dict(), console_lines)


cli.command("iot-fota-start")(iot_fota_start)
cli.command("iot-fota_start", hidden=True)(iot_fota_start)  # the seed's own spelling


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
    run.output.result(
        done.to_dict(),
        [
            f"[green]Bucket[/] s3://{done.bucket} ({done.bucket_region}): "
            f"{'created' if done.bucket_created else 'already there'}",
            f"[green]Role[/] {done.role_arn}: "
            f"{'created (trusts AWS IoT, reads this bucket)' if done.role_created else 'already there'}",
        ],
    )
