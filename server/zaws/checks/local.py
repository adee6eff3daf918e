"""Every local check of a thing.conf.json, in one call: what the language server runs on each edit.

Only a project's top-level thing.conf.json is checked; the per-thing copies under
`.aws_things_resources/` are written by zaws and never edited by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from zaws.checks.document import check_document
from zaws.checks.finding import Finding
from zaws.checks.jsonscan import ObjectNode
from zaws.checks.project_state import check_project
from zaws.project import layout
from zaws.project.thing_project import ThingProject


@dataclass(frozen=True)
class LocalResult:
    """The findings, and the parsed object (None when the text is not a JSON object)."""

    findings: list[Finding]
    root: ObjectNode | None


def is_project_config(path: Path) -> bool:
    """True for `<project>/thing.conf.json`, false for the per-thing copies."""
    return path.name == layout.THING_CONF and path.parent.parent.name != layout.RESOURCES_DIR


def run_local_checks(
    text: str, path: Path, *, region: str | None, now: datetime | None = None
) -> LocalResult:
    root, findings = check_document(text, region)
    if root is None:
        return LocalResult(findings, None)
    if path.parent.is_dir():
        project = ThingProject(path.parent.resolve())
        findings += check_project(root, project, now or datetime.now(UTC))
    return LocalResult(sorted(findings, key=lambda f: (f.start, f.code)), root)
