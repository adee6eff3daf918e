"""The firmware file written by the Zerynth toolchain's `link -J`, read and checked.

Only two fields matter for FOTA: `bcbin` (the new bytecode, base64) and `bc_idx` (the bytecode
slot the device boots next). The file also carries `vmbin`, `bc`, `vm_idx`, `vm`, `has_vm`,
`vmuid` and `info`, which are kept untouched. `bc_idx` must be a slot the device library can boot
(0 or 1, see fota_document), checked here so a bad file is refused before anything is uploaded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from zaws.errors import InvalidInput
from zaws.operations.fota_document import MAX_BYTECODE_BYTES, is_bytecode_slot, shown_value

LINK_HINT = "produce it with `ztc link ... -J` (the JSON form of the linked firmware)"


@dataclass(frozen=True)
class Firmware:
    bytecode: bytes
    bc_idx: int

    @property
    def md5(self) -> str:
        return hashlib.md5(self.bytecode).hexdigest()  # the device library checks MD5


def read_firmware(path: Path | str) -> Firmware:
    """`path` as given (a str may be empty: Path("") would silently be the current folder)."""
    if not str(path).strip():
        raise InvalidInput("A firmware file is required", f"pass the firmware's path; {LINK_HINT}")
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"The firmware file {path} does not exist", LINK_HINT) from None
    except IsADirectoryError:
        raise InvalidInput(
            f"The firmware path {path} is a folder", f"pass the firmware file; {LINK_HINT}"
        ) from None
    except OSError as err:
        raise InvalidInput(
            f"Cannot read the firmware file {path}: {err.strerror or err}",
            "check the path and its permissions",
        ) from None
    except (ValueError, UnicodeDecodeError) as err:
        raise InvalidInput(f"The firmware file {path} is not JSON ({err})", LINK_HINT) from None
    if not isinstance(data, dict):
        raise InvalidInput(f"The firmware file {path} must hold a JSON object", LINK_HINT)
    missing = [key for key in ("bcbin", "bc_idx") if key not in data]
    if missing:
        raise InvalidInput(f"The firmware file {path} lacks {' and '.join(missing)}", LINK_HINT)
    bc_idx = data["bc_idx"]
    if not is_bytecode_slot(bc_idx):
        raise InvalidInput(
            f"bc_idx in {path} must be a bytecode slot, 0 or 1 (the device's two slots), "
            f"not {shown_value(bc_idx)}",
            "link the firmware for the slot the device does not run: `ztc link ... --bc 0|1 -J`",
        )
    bcbin = data["bcbin"]
    try:
        if not isinstance(bcbin, str):
            raise ValueError
        bytecode = base64.b64decode(bcbin, validate=True)
    except (ValueError, binascii.Error):
        raise InvalidInput(f"bcbin in {path} is not valid base64", LINK_HINT) from None
    if not bytecode:
        raise InvalidInput(f"bcbin in {path} is empty", LINK_HINT)
    if len(bytecode) > MAX_BYTECODE_BYTES:
        raise InvalidInput(
            f"The bytecode in {path} is {len(bytecode)} bytes, more than any device's slot "
            f"({MAX_BYTECODE_BYTES} at most)",
            LINK_HINT,
        )
    return Firmware(bytecode=bytecode, bc_idx=bc_idx)


def sample_firmware(bytecode: bytes, bc_idx: int = 1) -> dict[str, object]:
    """A firmware document in the `link -J` format, for demos and tests."""
    return {
        "bcbin": base64.b64encode(bytecode).decode(),
        "bc_idx": bc_idx,
        "bc": len(bytecode),
        "vmbin": "",
        "vm": 0,
        "vm_idx": 0,
        "has_vm": False,
        "vmuid": "",
        "info": {"target": "demo", "version": "r2.6.2"},
    }
