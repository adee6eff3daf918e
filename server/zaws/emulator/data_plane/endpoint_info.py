"""Where the emulator's MQTT endpoint listens, kept in `mqtt.json` beside `emulator.json`.

Written by the emulator process when its endpoint has started (`endpoint.py`), removed when it
stops; read by `control.status` (so `zaws emulator status` and `zaws mqtt` find it) without
importing the broker. The file names the process that wrote it, so a stale file left by a killed
emulator is not taken for the current one's.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

INFO_FILE = "mqtt.json"


@dataclass(frozen=True)
class EndpointInfo:
    host: str  # the address to dial: 127.0.0.1
    port: int  # MQTT over mutual TLS
    ws_port: int | None  # MQTT over WebSocket (TLS, SigV4), None if not served
    server_name: str  # the data endpoint host name: SNI, and the name the certificate carries
    ca_file: str  # the emulator's root CA (PEM) that issued the server certificate

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def write_info(folder: Path, info: EndpointInfo) -> None:
    tmp = folder / f"{INFO_FILE}.tmp"
    tmp.write_text(json.dumps({"pid": os.getpid(), **info.to_dict()}))
    os.replace(tmp, folder / INFO_FILE)


def remove_info(folder: Path) -> None:
    (folder / INFO_FILE).unlink(missing_ok=True)


def read_info(folder: Path, pid: int | None = None) -> EndpointInfo | None:
    """The endpoint the emulator process `pid` (any, if None) serves, from its `mqtt.json`."""
    try:
        data = json.loads((folder / INFO_FILE).read_text())
        if pid is not None and int(data["pid"]) != pid:
            return None
        ws_port = data.get("ws_port")
        return EndpointInfo(
            host=str(data["host"]),
            port=int(data["port"]),
            ws_port=int(ws_port) if ws_port is not None else None,
            server_name=str(data["server_name"]),
            ca_file=str(data["ca_file"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
