"""Test controls of the emulator's bulk registration tasks: hold a task, or fail it, at a line.

A task on AWS runs on its own, and a test cannot tell when it will end: whether a second start
meets a running task, or what a task that fails part-way leaves, would hang on timing. AWS has
no such controls; here a test sets them with real boto3, as S3 objects of the emulator's account
(bucket CONTROLS_BUCKET, made by the test), which a task reads before each batch of lines:
- `registration-tasks/hold-after-lines`, body N: every task of the account provisions N lines at
  most, then stays InProgress (StopThingRegistrationTask still stops it) until the object is
  deleted;
- `registration-tasks/fail-after-lines`, body N: a task fails after N lines (status Failed, as a
  task AWS could not finish), its reports holding the lines it did.
"""

from __future__ import annotations

CONTROLS_BUCKET = "zaws-emulator-controls"
HOLD_AFTER_LINES = "registration-tasks/hold-after-lines"
FAIL_AFTER_LINES = "registration-tasks/fail-after-lines"
HELD_POLL_S = 0.05  # how often a held task looks at its control again


class ControlledFailure(RuntimeError):
    """The failure a test asked for with FAIL_AFTER_LINES."""


def line_limit(account_id: str, control: str) -> int | None:
    """The control's number of lines, or None when it is not set (or not a number)."""
    from moto.backends import get_backend

    s3 = get_backend("s3")[account_id]["aws"]
    try:
        found = s3.get_object(CONTROLS_BUCKET, control)
    except Exception:  # moto's MissingBucket: no controls in this account
        return None
    if found is None:
        return None
    try:
        return max(0, int(found.value.decode().strip()))
    except ValueError:
        return None


def next_stop(account_id: str, position: int, end: int) -> int:
    """Where the task's next batch (from `position`, at most to `end`) must stop: `position`
    itself while held; ControlledFailure once the failure's line is reached."""
    failing = line_limit(account_id, FAIL_AFTER_LINES)
    if failing is not None:
        if position >= failing:
            raise ControlledFailure(f"an internal error after {failing} lines")
        end = min(end, failing)
    held = line_limit(account_id, HOLD_AFTER_LINES)
    return max(position, min(end, held)) if held is not None else end
