"""Which AWS the operations talk to: a real account (profile, region) or the embedded emulator.

Plain data, no boto3 import, so front ends can build it cheaply. `ZAWS_LOCAL=1` means local mode;
`AWS_PROFILE` and `AWS_REGION` are read by boto3 itself in real mode.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

LOCAL_REGION = "us-east-1"


def zaws_home() -> Path:
    """The folder where zaws keeps its own state (the emulator's port, pid and data)."""
    explicit = os.environ.get("ZAWS_HOME")
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("zaws", appauthor=False))


def local_from_environment() -> bool:
    return os.environ.get("ZAWS_LOCAL", "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class AwsSettings:
    """Where AWS calls go. `local=True` uses the embedded emulator and never real credentials."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    local: bool = False
    home: Path = field(default_factory=zaws_home)
    max_workers: int | None = None
    # Raised quotas, API name -> requests per second, on top of AWS IoT's defaults.
    rate_limits: dict[str, float] | None = None
    # Limit request rates to the quotas: by default against real AWS only (the emulator has none).
    limit_rates: bool | None = None

    @classmethod
    def from_environment(cls, **overrides: object) -> AwsSettings:
        values: dict[str, object] = {"local": local_from_environment()}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def describe(self) -> str:
        if self.local:
            return f"local emulator ({self.region or LOCAL_REGION})"
        parts = [f"profile {self.profile}" if self.profile else "default credentials"]
        if self.region:
            parts.append(self.region)
        if self.endpoint_url:
            parts.append(self.endpoint_url)
        return "AWS " + ", ".join(parts)
