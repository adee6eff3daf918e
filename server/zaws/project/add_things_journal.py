"""The add-things journal: what a run planned and which remote step each thing reached.

A `StepJournal` (see step_journal.py for what it guarantees) in `.zaws/add-things/`, whose plan is
the batch: base name, first index, count, policy and the project's id.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from zaws.errors import ProjectError
from zaws.project.step_journal import StepJournal, ThingProgress

__all__ = ["STEPS", "AddThingsJournal", "AddThingsPlan", "ThingProgress"]

# Steps in the order they happen; each is logged before the remote call it names.
STEPS = ("thing", "cert", "cert-saved", "activate-cert", "policy", "principal", "done")


@dataclass(frozen=True)
class AddThingsPlan:
    base_name: str
    first_index: int
    count: int
    policy_name: str
    started: float
    project_id: str | None = None  # the zaws_project mark of its things (None: a plan of old)
    keys: str = "aws"  # where the keys are made: aws (CreateKeysAndCertificate) or local (CSR)
    key_type: str | None = None

    @property
    def names(self) -> list[str]:
        return [
            f"{self.base_name}_{i}" for i in range(self.first_index, self.first_index + self.count)
        ]


class AddThingsJournal(StepJournal):
    def __init__(self, state_dir: Path) -> None:
        super().__init__(state_dir / "add-things")

    def pending_plan(self) -> AddThingsPlan | None:
        data = self.read_plan()
        if data is None:
            return None
        try:
            return AddThingsPlan(**data)
        except TypeError:
            raise ProjectError(
                f"The add-things journal {self.plan_path} is unreadable",
                "restore it, or move .zaws/add-things away after checking AWS by hand",
            ) from None

    def begin(self, plan: AddThingsPlan) -> None:
        self.write_plan(asdict(plan))
