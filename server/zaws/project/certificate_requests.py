"""Certificate requests whose answer was lost: the windows in which a keyless certificate may exist.

CreateKeysAndCertificate makes the key in AWS and returns it once. When that answer is lost (the
process died, the connection dropped, botocore retried a call whose first attempt had succeeded),
a certificate may exist that nobody holds the key of. AWS cannot say who made a certificate, so
zaws never deletes such a certificate by itself: it keeps each uncertain request's time window in
`.zaws/uncertain-certificates.json`, which outlives the add-things journal and cleanup, until the
user has reviewed the candidates (`zaws orphan-certificates PROJECT`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from zaws.errors import ProjectError
from zaws.project.atomic_files import write_json

FILE_NAME = "uncertain-certificates.json"


@dataclass(frozen=True, order=True)
class RequestWindow:
    """A request for `thing` sent at `sent` (epoch seconds) whose answer was lost by `bounded`."""

    sent: float
    bounded: float
    thing: str
    key: str | None = None  # the fingerprint of the key made here for it (a CSR request)


class UncertainCertificateRequests:
    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / FILE_NAME

    def windows(self) -> list[RequestWindow]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return sorted(RequestWindow(**item) for item in data["requests"])
        except FileNotFoundError:
            return []
        except (ValueError, TypeError, KeyError, UnicodeDecodeError):
            raise ProjectError(
                f"{self.path} is unreadable",
                "restore it, or delete it once you have checked AWS for INACTIVE certificates "
                "attached to nothing",
            ) from None

    def add(self, windows: list[RequestWindow]) -> None:
        known = set(self.windows())
        merged = sorted(known | set(windows))
        if merged != sorted(known):
            self._write(merged)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    def _write(self, windows: list[RequestWindow]) -> None:
        write_json(self.path, {"requests": [asdict(w) for w in windows]})
