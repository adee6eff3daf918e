"""The add-things journal: what a run planned and which remote step each thing reached.

A `StepJournal` (see step_journal.py for what it guarantees) in `.zaws/add-things/`, whose plan is
the batch: base name, first index, count, policy, the project's id and the key source (for
`--csr-dir`, the devices' requests themselves, so a rerun needs nothing but the journal).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from zaws.errors import ProjectError
from zaws.project.device_key import DeviceKeyRequest
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
    keys: str = "aws"  # where the keys are made: aws (CreateKeysAndCertificate), local (a CSR
    # made here) or csr (on the devices: `csrs` holds their requests, in the things' order)
    key_type: str | None = None
    csr_dir: str | None = None  # the folder the CSRs were read from (absolute)
    csrs: list[dict[str, str]] | None = None  # {"file", "pem", "fingerprint"} per thing
    bulk: bool = False  # one StartThingRegistrationTask instead of calls per thing
    bucket: str | None = None  # bulk: the S3 bucket of the task's input file

    def csr_requests(self) -> dict[str, DeviceKeyRequest]:
        """{thing: its device's request} for a plan from CSRs, in file-name order."""
        return {
            name: DeviceKeyRequest(c["file"], c["pem"], c["fingerprint"])
            for name, c in zip(self.names, self.csrs or [], strict=False)
        }

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
