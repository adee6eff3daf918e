"""A crash-safe journal of remote steps per thing, for the runs that make certificates.

Written before each remote step, so that after a crash (even SIGKILL) a rerun knows, per thing,
what may exist remotely: a thing whose certificate request was logged but whose key never reached
the disk points at a certificate nobody holds the key of. A journal folder holds `plan.json`
(atomic, fsynced), `log.jsonl` (append-only) and `staging/<thing>/` (the key, 0600 and fsynced, and
the certificate, before the thing's record is complete); it is removed when the run ends.
add-things (`add_things_journal.py`) and rotate-certificate each keep one.

Log lines are written with one unbuffered `write` each: a killed process cannot lose them (they are
in the kernel). They are not fsynced one by one, which would serialise every worker on the disk;
after a power cut the last lines may be missing.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zaws.errors import ProjectError
from zaws.project.atomic_files import write_json

# How long after a certificate request was sent its certificate may still be made: a request the
# client gave up on (its process was killed, or no answer came) may still be queued at the server,
# and be served after the next line of the log (the emulator under load can do this). As long as
# botocore waits for an answer.
ANSWER_DEADLINE_S = 60.0


@dataclass(frozen=True)
class UncertainRequest:
    """A certificate request whose answer may be lost, sent at `sent`, bounded by `bounded` (None
    while nothing later bounds it); `key` is the fingerprint of the key made here for it (a CSR
    request), so a certificate it made can be proved the project's by its public key."""

    sent: float
    bounded: float | None
    key: str | None = None

    def made_by(self, now: float) -> float:
        """The latest time a certificate it made can be dated: when a later line showed it
        answered or given up (`now` while nothing has), or, a server being slow, the deadline."""
        seen = self.bounded if self.bounded is not None else now
        return max(seen, self.sent + ANSWER_DEADLINE_S)


@dataclass
class ThingProgress:
    """What the log says about one thing.

    `uncertain_requests` are the certificate requests that may have made a certificate the project
    does not know: a request never answered (the process died, or the call failed), or answered
    after retries (an earlier attempt may have succeeded).
    """

    last_step: str | None = None
    cert_arn: str | None = None
    cert_requested: bool = False
    steps: list[str] = field(default_factory=list)
    uncertain_requests: list[UncertainRequest] = field(default_factory=list)
    open_request: UncertainRequest | None = None

    @property
    def done(self) -> bool:
        return self.last_step == "done"

    @property
    def cert_saved(self) -> bool:
        return self.cert_arn is not None


class StepJournal:
    """One journal folder: `plan.json`, `log.jsonl` and `staging/<thing>/`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._log_fd: int | None = None

    @property
    def plan_path(self) -> Path:
        return self.folder / "plan.json"

    @property
    def log_path(self) -> Path:
        return self.folder / "log.jsonl"

    def staging(self, thing: str) -> Path:
        folder = self.folder / "staging" / thing
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder

    def read_plan(self) -> dict[str, Any] | None:
        """The plan as written, None without one; a ProjectError if it is unreadable."""
        try:
            data = json.loads(self.plan_path.read_text())
        except FileNotFoundError:
            return None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            # A plan is written atomically, so this is a hand-edited file: say so, do not guess.
            raise ProjectError(
                f"The journal {self.plan_path} is unreadable",
                f"restore it, or move {self.folder} away after checking AWS by hand",
            )
        return data

    def write_plan(self, plan: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_json(self.plan_path, plan)

    def record(self, thing: str, step: str, **details: Any) -> None:
        line = json.dumps({"thing": thing, "step": step, "t": time.time(), **details}) + "\n"
        with self._lock:
            if self._log_fd is None:
                self._log_fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.write(self._log_fd, line.encode())

    def progress(self) -> dict[str, ThingProgress]:
        states: dict[str, ThingProgress] = {}
        try:
            lines = self.log_path.read_text().splitlines()
        except FileNotFoundError:
            return states
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # the last line of a crashed write may be cut short
            state = states.setdefault(entry["thing"], ThingProgress())
            step, when = entry["step"], float(entry.get("t", 0))
            state.last_step = step
            state.steps.append(step)
            opened = state.open_request
            if opened is not None and step != "cert-saved":  # never answered
                state.uncertain_requests.append(UncertainRequest(opened.sent, when, opened.key))
                state.open_request = None
            if step == "cert":
                state.cert_requested = True
                key = entry.get("key")
                state.open_request = UncertainRequest(
                    when, None, key if isinstance(key, str) else None
                )
            if step == "cert-saved":
                state.cert_arn = entry["cert_arn"]
                if opened is not None and entry.get("retries"):
                    state.uncertain_requests.append(UncertainRequest(opened.sent, when, opened.key))
                state.open_request = None
        for state in states.values():
            if state.open_request is not None:
                state.uncertain_requests.append(state.open_request)
                state.open_request = None
        return states

    def close(self) -> None:
        with self._lock:
            if self._log_fd is not None:
                os.close(self._log_fd)
                self._log_fd = None

    def finish(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)
