"""What a FOTA check found: one problem (or a check it could not make) with what to do about it.

Verification reports every finding at once instead of stopping at the first, so a user fixes a
broken job in one pass. An `error` means devices would fail; a `warning` means zaws could not
check something (for instance the profile may not read IAM) and the job may still be sound. A
`FotaVerification` gathers the findings and the checks that passed, for a job that exists
(fota_verify) or one about to be created (fota_preflight).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from zaws.errors import ZawsError

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


class FotaJobUnsound(ZawsError):
    """Verification found problems: devices would fail to update."""

    code = "zaws.fotaJobUnsound"
    rpc_code = -32018


@dataclass
class FotaVerification:
    job_id: str
    findings: list[Finding] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)  # ids of the checks that passed
    document_source: str | None = None
    firmware_url: str | None = None

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "ok": self.ok}

    def fail(self, check: str, message: str, hint: str) -> None:
        self.findings.append(error(check, message, hint))

    def check(self, check: str, good: bool, message: str, hint: str) -> bool:
        if good:
            self.passed.append(check)
        else:
            self.fail(check, message, hint)
        return good
