"""What a FOTA check found: one problem (or a check it could not make) with what to do about it.

Verification reports every finding at once instead of stopping at the first, so a user fixes a
broken job in one pass. An `error` means devices would fail; a `warning` means zaws could not
check something (for instance the profile may not read IAM) and the job may still be sound.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    check: str  # stable id, e.g. "firmware.md5", "role.trust"
    message: str
    hint: str
    severity: Severity = "error"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def error(check: str, message: str, hint: str) -> Finding:
    return Finding(check, message, hint, "error")


def warning(check: str, message: str, hint: str) -> Finding:
    return Finding(check, message, hint, "warning")
