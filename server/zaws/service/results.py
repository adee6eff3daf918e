"""From the operations' `to_dict()` (snake_case) to protocol results (camelCase, as LSP names)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from zaws.service.uris import uri_from_path

if TYPE_CHECKING:
    from zaws.operations.fota_start import FotaStarted
    from zaws.operations.fota_verify import FotaVerification


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


# Values that are data of their own keep their keys: a FOTA job document (read by devices), what
# a device said about its execution (statusDetails).
VERBATIM = frozenset({"document", "status_details"})


def to_protocol(value: Any) -> Any:
    """Keys in camelCase, all the way down (except VERBATIM values); paths as strings."""
    if isinstance(value, dict):
        return {
            camel(str(key)): item if key in VERBATIM else to_protocol(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [to_protocol(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value


def with_project_uri(result: dict[str, Any], project: Path) -> dict[str, Any]:
    return {"projectUri": uri_from_path(project), **result}


def fota_verification(checked: FotaVerification) -> dict[str, Any]:
    """Built field by field: `ok` is a property, which dataclass `asdict` would drop."""
    return {
        "jobId": checked.job_id,
        "ok": checked.ok,
        "passed": list(checked.passed),
        "findings": [
            {
                "check": finding.check,
                "message": finding.message,
                "hint": finding.hint,
                "severity": finding.severity,
            }
            for finding in checked.findings
        ],
        "documentSource": checked.document_source,
        "firmwareUrl": checked.firmware_url,
    }


def fota_started(started: FotaStarted) -> dict[str, Any]:
    reports = {"verification": started.verification, "preflight": started.preflight}
    data = {key: value for key, value in started.to_dict().items() if key not in reports}
    result: dict[str, Any] = to_protocol(data)
    for key, checked in reports.items():
        result[key] = fota_verification(checked) if checked is not None else None
    return result
