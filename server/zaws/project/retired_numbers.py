"""The highest index each base name has given out, so a removed thing's number is never reused.

`.zawsconf` remembers only the current base name's highest index (as the original toolchain
does). After `remove-thing gateway_1`, a later `add-things --thing-base-name gateway` must not
make a second `gateway_1`: a board flashed with the old one would look like the new one. Kept in
`.zaws/retired-numbers.json` (`{"gateway": 1}`); cleanup, which removes every thing, clears it.
"""

from __future__ import annotations

import json
from pathlib import Path

from zaws.project.atomic_files import write_json
from zaws.project.thing_names import split_thing_name

FILE_NAME = "retired-numbers.json"


class RetiredNumbers:
    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / FILE_NAME

    def highest(self, base: str) -> int:
        value = self._read().get(base, -1)
        return value if isinstance(value, int) and not isinstance(value, bool) else -1

    def retire(self, names: list[str]) -> None:
        table = self._read()
        for name in names:
            parts = split_thing_name(name)
            if parts is not None:
                base, index = parts
                table[base] = max(index, table.get(base, -1))
        write_json(self.path, table)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    def _read(self) -> dict[str, int]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (ValueError, UnicodeDecodeError):
            return {}  # advisory: .zawsconf and the records still bound the numbering
        return (
            {k: v for k, v in data.items() if isinstance(v, int)} if isinstance(data, dict) else {}
        )
