"""One request at a time inside moto: its backends are plain dicts that threads iterate and change.

moto's server answers each request on its own thread, and moto's IoT code scans its OrderedDicts
(every certificate to find one by ARN, every attachment to delete a certificate) while other
threads add to them: under a concurrent add-things the emulator answered HTTP 500 "OrderedDict
mutated during iteration" (hidden by the clients' retries, thousands of tracebacks in its log).
moto is pure Python under the GIL, so running its requests one after another costs little; what
it does without touching shared state stays outside the lock: reading the request body off the
socket, writing the answer back, and generating RSA keys (`release_lock_for_rsa_keys`), which is
most of a CreateKeysAndCertificate and runs without the GIL.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_moto_lock = threading.Lock()
_holder = threading.local()
_generation = 0  # bumped after every request that may change state (not GET/HEAD)


def control_plane_generation() -> int:
    """A counter that changes whenever a request may have changed moto's state (policies,
    certificates, attachments): the MQTT broker rebuilds a connection's authorization then."""
    return _generation


def _bump_generation() -> None:
    global _generation
    _generation += 1


def note_control_plane_change() -> None:
    """Work done outside a request (a bulk registration task) changed moto's state."""
    _bump_generation()


@contextlib.contextmanager
def moto_lock() -> Iterator[None]:
    """Hold moto's request lock (the data plane reading or changing moto's backends); a no-op
    on a thread that holds it already (inside a request)."""
    if getattr(_holder, "locked", False):
        yield
        return
    with _moto_lock:
        _holder.locked = True
        try:
            yield
        finally:
            _holder.locked = False


class OneRequestAtATime:
    """WSGI middleware: the wrapped application runs for one request at a time."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        _read_body_first(environ)
        with _moto_lock:
            _holder.locked = True
            try:
                answer = self.app(environ, start_response)
                try:
                    return [b"".join(answer)]  # moto's answers are bytes already in memory
                finally:
                    close = getattr(answer, "close", None)
                    if close is not None:
                        close()
            finally:
                _holder.locked = False
                if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
                    _bump_generation()


@contextlib.contextmanager
def unlocked() -> Iterator[None]:
    """Let other requests run while this one does work that touches no shared state."""
    if not getattr(_holder, "locked", False):
        yield
        return
    _moto_lock.release()
    try:
        yield
    finally:
        _moto_lock.acquire()


def release_lock_for_rsa_keys() -> None:
    """moto's IoT backend generates its RSA keys with the lock released (they touch no state)."""
    import moto.iot.models
    from cryptography.hazmat.primitives.asymmetric import rsa

    class RsaUnlocked:
        def __getattr__(self, name: str) -> Any:
            return getattr(rsa, name)

        @staticmethod
        def generate_private_key(*args: Any, **kwargs: Any) -> rsa.RSAPrivateKey:
            with unlocked():
                return rsa.generate_private_key(*args, **kwargs)

    setattr(moto.iot.models, "rsa", RsaUnlocked())  # noqa: B010 (monkeypatch by design)


def _read_body_first(environ: dict[str, Any]) -> None:
    """The request body read off the socket before the lock, so a slow client holds up no one."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if length > 0:
        environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(length))
