"""Builds zaws's sdist and wheel as a release would, from a copy of the sources that go into them,
so the checkout stays clean and nothing outside the test's temporary folder is written or cached."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "server")


@dataclass(frozen=True)
class Distributions:
    wheel: Path
    sdist: Path


def build_distributions(work: Path) -> Distributions:
    """`python -m build`: the sdist first, then the wheel built from the unpacked sdist."""
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    out = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        env=isolated_pip_env(work),
        timeout=600,
    )
    (wheel,) = out.glob("zaws-*.whl")
    (sdist,) = out.glob("zaws-*.tar.gz")
    return Distributions(wheel=wheel, sdist=sdist)


def fresh_venv(where: Path, wheel: Path, work: Path) -> Path:
    """A new virtual environment with only the wheel (and its dependencies from the index)."""
    venv.EnvBuilder(with_pip=True, symlinks=True).create(where)
    subprocess.run(
        [str(where / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        env=isolated_pip_env(work),
        timeout=900,
    )
    return where / "bin"


def pipx_install(wheel: Path, work: Path) -> Path:
    """`pipx install <wheel>` as a user runs it, pipx's home and its bin folder in `work`; the
    folder where pipx put the `zaws` command."""
    env = isolated_pip_env(work) | {
        "PIPX_HOME": str(work / "pipx-home"),
        "PIPX_BIN_DIR": str(work / "pipx-bin"),
        "PIPX_MAN_DIR": str(work / "pipx-man"),
        "PIPX_DEFAULT_PYTHON": sys.executable,
    }
    subprocess.run(
        [sys.executable, "-m", "pipx", "install", str(wheel)],
        check=True,
        capture_output=True,
        env=env,
        timeout=900,
    )
    return work / "pipx-bin"


def isolated_pip_env(work: Path) -> dict[str, str]:
    """pip and build with their caches in the test's folder, and no checkout on the import path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_CACHE_DIR"] = str(work / "pip-cache")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env
