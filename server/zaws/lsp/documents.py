"""Which documents are a project's thing.conf.json, and where their text comes from.

An open document's text is the editor's; a closed one's is the file on disk. URIs are compared by
the path they name, since clients may escape the same path differently.
"""

from __future__ import annotations

from pathlib import Path

from pygls.uris import to_fs_path
from pygls.workspace import TextDocument, Workspace

from zaws.service.uris import uri_from_path

# The project's file names, as zaws.project.layout has them (importing the project package here
# would load it at start-up; the server reaches `initialized` before anything needs it).
THING_CONF = "thing.conf.json"
RESOURCES_DIR = ".aws_things_resources"
MAIN_PY = "main.py"


def is_project_config(path: Path) -> bool:
    """True for `<project>/thing.conf.json`, false for the per-thing copies."""
    return path.name == THING_CONF and path.parent.parent.name != RESOURCES_DIR


def config_path(uri: str) -> Path | None:
    """The path of a project's top-level thing.conf.json named by `uri`, else None."""
    fs_path = to_fs_path(uri) if uri.startswith("file:") else None
    if not fs_path:
        return None
    path = Path(fs_path)
    return path if is_project_config(path) else None


def main_py_project(uri: str) -> Path | None:
    """The project whose main.py `uri` names (a folder with a thing.conf.json), else None."""
    fs_path = to_fs_path(uri) if uri.startswith("file:") else None
    if not fs_path:
        return None
    path = Path(fs_path)
    if path.name != MAIN_PY or not (path.parent / THING_CONF).is_file():
        return None
    return path.parent


def open_document(workspace: Workspace | None, path: Path) -> TextDocument | None:
    if workspace is None:
        return None
    for uri, document in workspace.text_documents.items():
        if config_path(uri) == path:
            found: TextDocument = document
            return found
    return None


def config_uri(workspace: Workspace | None, root: Path) -> str:
    """The URI to publish a project's diagnostics under: the open document's, else our own."""
    path = root / THING_CONF
    document = open_document(workspace, path)
    return document.uri if document is not None else uri_from_path(path)


def projects_in(folder: Path) -> list[Path]:
    """`folder` and its direct sub-folders that hold a thing.conf.json."""
    found = []
    candidates = [folder]
    try:
        candidates += sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []
    for candidate in candidates:
        if (candidate / THING_CONF).is_file():
            found.append(candidate.resolve())
    return found
