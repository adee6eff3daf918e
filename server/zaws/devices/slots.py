"""A simulated device's flash: which bytecode slot runs, and whether it runs on trial after FOTA.

The library's FOTA record (`fota.get_record()`) holds the current slot and whether the new one is
being tested; `fota.test()` boots the new slot on trial, `fota.accept()` (confirm) keeps it. Here
that record is `PROJECT/.zaws/devices/<thing>.json`, so it survives the simulated reset and a
new `zaws device run`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class SlotRecord:
    current_slot: int = 0
    previous_slot: int | None = None
    on_trial: bool = False  # booted a new slot with fota.test(), not yet confirmed
    job_id: str | None = None  # the job that wrote the slot on trial

    @classmethod
    def load(cls, path: Path) -> SlotRecord:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return cls()
        known = {k: data[k] for k in asdict(cls()) if isinstance(data, dict) and k in data}
        return cls(**known)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=2) + "\n")
        temporary.replace(path)


def slot_record_path(state_dir: Path, thing: str) -> Path:
    return state_dir / "devices" / f"{thing}.json"
