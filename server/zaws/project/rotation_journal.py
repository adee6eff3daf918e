"""The rotate-certificate journal: which things get a new certificate and how far each got.

A `StepJournal` (step_journal.py says what it guarantees) in `.zaws/rotate-certificate/`, whose
plan names the things, the certificate each had when the rotation started, the project's policy
and whether the old certificates are retired at the end.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from zaws.errors import ProjectError
from zaws.project.step_journal import StepJournal

# Steps in the order they happen; each is logged before the remote call it names.
STEPS = ("cert", "cert-saved", "activate-cert", "policy", "principal", "swap", "retire", "done")


@dataclass(frozen=True)
class RotationPlan:
    names: list[str]
    old_cert_arns: dict[str, str]
    policy_name: str
    retire_old: bool
    started: float
    keys: str = "aws"  # where the new keys are made, as add-things' --keys
    key_type: str | None = None


class RotationJournal(StepJournal):
    def __init__(self, state_dir: Path) -> None:
        super().__init__(state_dir / "rotate-certificate")

    def pending_plan(self) -> RotationPlan | None:
        data = self.read_plan()
        if data is None:
            return None
        try:
            return RotationPlan(**data)
        except TypeError:
            raise ProjectError(
                f"The rotate-certificate journal {self.plan_path} is unreadable",
                "restore it, or move .zaws/rotate-certificate away after checking AWS by hand",
            ) from None

    def begin(self, plan: RotationPlan) -> None:
        self.write_plan(asdict(plan))
