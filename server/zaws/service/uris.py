"""`projectUri` and other file URIs of the protocol, to and from local paths.

Projects are named as LSP names documents: `file:///home/me/proj`. Only local `file:` URIs are
accepted (an empty or `localhost` authority); percent-escapes are decoded.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from zaws.errors import InvalidInput


class InvalidParams(InvalidInput):
    """Params that do not fit the method's schema: JSON-RPC's own 'invalid params' code."""

    code = "zaws.invalidParams"
    rpc_code = -32602


def path_from_uri(uri: str, *, name: str = "projectUri") -> Path:
    """The absolute local path of a `file:` URI; InvalidParams otherwise."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() != "file":
        raise InvalidParams(
            f"{name} must be a file URI such as file:///home/me/project, not {_short(uri)}",
            "pass the folder as a file: URI",
        )
    if parts.netloc not in ("", "localhost"):
        raise InvalidParams(
            f"{name} names a remote host ({_short(parts.netloc)}); only local files are served",
            "pass a file:/// URI",
        )
    path = unquote(parts.path)
    if not path.startswith("/") or "\0" in path:
        raise InvalidParams(f"{name} must hold an absolute path: {_short(uri)}", None)
    return Path(path)


def uri_from_path(path: Path) -> str:
    return "file://" + quote(str(path.resolve()), safe="/:@!$&'()*+,;=-._~")


def existing_folder(uri: str, *, name: str = "projectUri") -> Path:
    path = path_from_uri(uri, name=name)
    if not path.is_dir():
        raise InvalidParams(f"{name} names no existing folder: {_short(str(path))}", None)
    return path


def existing_file(uri: str, *, name: str) -> Path:
    path = path_from_uri(uri, name=name)
    if not path.is_file():
        raise InvalidParams(f"{name} names no existing file: {_short(str(path))}", None)
    return path


def _short(text: str, limit: int = 120) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."
