"""SIGTERM ends a server as the end of its input does: its `finally` blocks run.

Python's default for SIGTERM ends the process at once, so simulated devices and subscriptions
would vanish without a DISCONNECT (the broker sees the connection lost). Editors stop a server
that does not exit in time with SIGTERM; with this handler it raises SystemExit in the main
thread instead, which both servers' loops unwind through. Shared by both servers.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType


def exit_on_sigterm() -> None:
    """From the main thread, before serving; elsewhere (tests in a thread) it does nothing."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _exit)


def _exit(signum: int, frame: FrameType | None) -> None:
    sys.exit(128 + signum)
