"""Whether git would commit a project's private keys.

`git check-ignore` answers with git's own rules (every .gitignore, info/exclude, the global excludes
file), and treats a tracked file as not ignored, which is right: a committed key is the problem.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from zaws.project import layout

GIT_TIMEOUT_S = 5.0


def unignored_private_keys(root: Path) -> list[str] | None:
    """The key paths git would commit; None when `root` is not in a git work tree (or no git)."""
    candidates = [
        layout.PRIVATE_KEY,
        f"{layout.RESOURCES_DIR}/any_thing/{layout.PRIVATE_KEY}",
    ]
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "check-ignore", "--", *candidates],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode not in (0, 1):  # 128: not a repository, or git failed
        return None
    ignored = {line.strip() for line in done.stdout.splitlines()}
    return [path for path in candidates if path not in ignored]
