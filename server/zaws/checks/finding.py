"""What a check reports: a range of the text, how bad it is, a stable code and a message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    """Same numbers as LSP's DiagnosticSeverity, so the server maps them one to one."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4


@dataclass(frozen=True)
class Finding:
    """One problem: [start, end) offsets (code points) into the checked text."""

    start: int
    end: int
    severity: Severity
    code: str
    message: str
    data: dict[str, Any] | None = None  # for a code action that fixes it (LSP Diagnostic.data)

    def to_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "start": self.start,
            "end": self.end,
            "severity": int(self.severity),
            "code": self.code,
            "message": self.message,
        }
        if self.data is not None:
            found["data"] = self.data
        return found
