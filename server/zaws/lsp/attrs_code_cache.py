"""A disk cache of the code attrs compiles at import time, to start the language server faster.

pygls needs lsprotocol, whose import builds ~570 attrs classes; attrs generates their methods as
source text and compiles it, and those `compile()` calls are about half of the import (~0.3 s of
~0.6 s here). cattrs does the same for the (un)structuring functions of the messages it reads.
Compiling is a pure function of (source, file name, mode, flags), so the code objects are kept in
a marshal file per Python version and reused. Any problem with the file (missing, corrupt,
another attrs) only means compiling as usual.

`install()` runs before pygls is imported (zaws/lsp/__init__.py); `save()` runs after the client
has its `initialized` (off the event loop) and at shutdown.
"""

from __future__ import annotations
import __future__

import builtins
import logging
import marshal
import os
import sys
import threading
import zlib
from pathlib import Path
from types import CodeType
from typing import Any

log = logging.getLogger(__name__)

_Key = tuple[str, str, str]
_compile = builtins.compile
_cache: dict[_Key, CodeType] = {}
_new: dict[_Key, CodeType] = {}
_lock = threading.Lock()
# attr/_make.py and cattrs/gen have `from __future__ import annotations`: their compile() calls
# inherit that flag.
_FLAGS = __future__.annotations.compiler_flag
MAX_ENTRIES = 5000  # a runaway cache (names that change every run) is dropped, not grown


def cache_file() -> Path:
    """Under ZAWS_HOME when set (tests isolate it), else the user's cache folder."""
    home = os.environ.get("ZAWS_HOME")
    if home:
        base = os.path.join(os.path.expanduser(home), "cache")
    else:
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(cache, "zaws")
    tag = f"{zlib.crc32(sys.version.encode()):08x}"
    return Path(base) / f"attrs-code-{sys.implementation.cache_tag}-{tag}.marshal"


def _cached_compile(source: Any, filename: Any, mode: Any, *args: Any, **kwargs: Any) -> Any:
    if args or kwargs or not isinstance(source, str) or not isinstance(filename, str):
        return _compile(source, filename, mode, *args, **kwargs)
    key = (source, filename, mode)
    code = _cache.get(key)
    if code is None:
        code = _compile(source, filename, mode, _FLAGS, True)
        with _lock:
            _new[key] = code
    return code


def install() -> None:
    """Serve attrs' compile() calls from the cache (idempotent; never raises)."""
    try:
        import attr._make
        import cattrs.gen

        modules = (attr._make, cattrs.gen)
        if all(getattr(module, "compile", None) is _cached_compile for module in modules):
            return
        try:
            loaded = marshal.loads(cache_file().read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            loaded = {}
        if isinstance(loaded, dict) and len(loaded) <= MAX_ENTRIES:
            _cache.update(loaded)
        for module in modules:
            module.compile = _cached_compile  # type: ignore[attr-defined]
    except Exception as err:  # an optimisation must never stop the server
        log.debug("attrs code cache not installed: %s", err)


def save() -> None:
    """Write the cache if this process compiled anything new (atomic; never raises)."""
    with _lock:
        if not _new:
            return
        _cache.update(_new)
        _new.clear()
        data = marshal.dumps(_cache)
    import tempfile  # only when saving: start-up does not pay for it

    target = cache_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".attrs-code-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except OSError as err:
        log.debug("attrs code cache not saved: %s", err)
