"""Set and clear the emulator's controls of its bulk registration tasks, through boto3 S3."""

from __future__ import annotations

from typing import Any

from zaws.emulator.registration_controls import CONTROLS_BUCKET


def set_control(s3: Any, control: str, lines: int) -> None:
    """Hold (HOLD_AFTER_LINES) or fail (FAIL_AFTER_LINES) the account's tasks after `lines`."""
    if CONTROLS_BUCKET not in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
        s3.create_bucket(Bucket=CONTROLS_BUCKET)
    s3.put_object(Bucket=CONTROLS_BUCKET, Key=control, Body=str(lines).encode())


def clear_control(s3: Any, control: str) -> None:
    s3.delete_object(Bucket=CONTROLS_BUCKET, Key=control)
