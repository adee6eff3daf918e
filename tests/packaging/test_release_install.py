"""zaws as a user installs it: the sdist and wheel `python -m build` makes, the wheel installed
into a fresh virtual environment, then the CLI, the demo workflow on the embedded emulator, `zaws
serve` and `zaws rpc` run from a folder with no checkout around; and `pipx install` of the same
wheel gives a `zaws` that works as well. One test, because building and installing (~1 min,
dependencies from the package index) should happen once per run, not per xdist worker."""

from __future__ import annotations

import json
import subprocess
import tarfile
import zipfile
from pathlib import Path

import zaws
from tests.packaging.distributions import (
    ROOT,
    Distributions,
    build_distributions,
    fresh_venv,
    isolated_pip_env,
    pipx_install,
)
from tests.packaging.stdio_exchange import exchange, request

TEMPLATE = sorted(
    p.relative_to(ROOT / "server").as_posix()
    for p in (ROOT / "server" / "zaws" / "template").iterdir()
    if p.is_file() and p.suffix != ".pyc"
)
RUN_TIME_FILES = ["zaws/py.typed", *TEMPLATE]


def test_a_release_installs_and_runs_with_no_checkout_around(tmp_path: Path) -> None:
    built = build_distributions(tmp_path)
    assert_carries_run_time_files(built)
    bin_dir = fresh_venv(tmp_path / "venv", built.wheel, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = isolated_pip_env(tmp_path) | {"ZAWS_HOME": str(tmp_path / "home"), "ZAWS_LOCAL": "1"}
    zaws_exe = str(bin_dir / "zaws")

    def run(*args: str) -> str:
        done = subprocess.run(
            [zaws_exe, *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"zaws {' '.join(args)}: {done.stdout}{done.stderr}"
        return done.stdout

    assert_imports_from_the_venv(bin_dir, elsewhere, env)
    assert run("--version").split()[-1] == zaws.__version__
    try:
        run_demo_workflow(run, bin_dir, elsewhere, env)
        assert_servers_answer(zaws_exe, elsewhere, env)
    finally:
        subprocess.run([zaws_exe, "emulator", "stop"], cwd=elsewhere, env=env, check=False)
    assert_pipx_gives_a_working_zaws(built.wheel, tmp_path, elsewhere, env)


def assert_pipx_gives_a_working_zaws(
    wheel: Path, work: Path, cwd: Path, env: dict[str, str]
) -> None:
    """pipx's own environment for zaws, its `zaws` on pipx's bin folder: it runs a project's
    workflow on the emulator as the venv's did."""
    pipx_zaws = str(pipx_install(wheel, work / "pipx") / "zaws")

    def run(*args: str) -> str:
        done = subprocess.run(
            [pipx_zaws, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"zaws {' '.join(args)}: {done.stdout}{done.stderr}"
        return done.stdout

    assert run("--version").split()[-1] == zaws.__version__
    try:
        run("thing-project-from-template", "piped", str(cwd), "--aws-policy-name", "demo-policy")
        run("add-things", str(cwd / "piped"), "--thing-base-name", "board", "--things-number", "1")
        listed = json.loads(run("-J", "list-things", str(cwd / "piped"), "--remote"))
        assert [t["name"] for t in listed["things"]] == ["board_0"], listed
    finally:
        subprocess.run([pipx_zaws, "emulator", "stop"], cwd=cwd, env=env, check=False)


def assert_carries_run_time_files(built: Distributions) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        names = set(wheel.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "zaws = zaws.cli.entry:main" in wheel.read(entry_points).decode()
    assert set(RUN_TIME_FILES) <= names, set(RUN_TIME_FILES) - names
    assert not [n for n in names if "__pycache__" in n or n.startswith("tests/")]
    with tarfile.open(built.sdist) as sdist:
        top = built.sdist.name.removesuffix(".tar.gz")
        in_sdist = {n.removeprefix(f"{top}/") for n in sdist.getnames()}
    assert {f"server/{f}" for f in RUN_TIME_FILES} | {"pyproject.toml", "README.md"} <= in_sdist


def assert_imports_from_the_venv(bin_dir: Path, cwd: Path, env: dict[str, str]) -> None:
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import zaws; print(zaws.__file__)"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(bin_dir.parent), where
    assert not Path(where).is_relative_to(ROOT), where


def run_demo_workflow(run: object, bin_dir: Path, cwd: Path, env: dict[str, str]) -> None:
    """scripts/demo.sh's steps: policy, FOTA bucket and role, project, things, active thing, a
    FOTA job verified, the things in the emulator, cleanup."""
    assert callable(run)
    run("emulator", "start")
    run("create-policy", "demo-policy")
    run("fota-setup", "--bucket", "demo-firmware", "--role", "demo-fota-role")
    run("thing-project-from-template", "demo", str(cwd), "--aws-policy-name", "demo-policy")
    project = cwd / "demo"
    assert (project / "main.py").is_file() and (project / ".gitignore").is_file()
    run("add-things", str(project), "--thing-base-name", "sensor", "--things-number", "2")
    run("set-active-thing", str(project), "--thing-name", "sensor_1")
    assert json.loads((project / "thing.conf.json").read_text())["thingname"] == "sensor_1"
    firmware = cwd / "firmware.json"
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import json, sys; from zaws.operations.firmware import sample_firmware; "
            "json.dump(sample_firmware(b'\\x00fw' * 64, bc_idx=1), open(sys.argv[1], 'w'))",
            str(firmware),
        ],
        cwd=cwd,
        env=env,
        check=True,
    )
    started = json.loads(
        run(
            "-J",
            "iot-fota-start",
            "sensor_1",
            str(firmware),
            "s3://demo-firmware",
            "demo-fota-role",
            "--duration",
            "900",
            "--project",
            str(project),
        )
    )
    assert started["verification"]["ok"] is True, started
    listed = json.loads(run("-J", "list-things", str(project), "--remote"))
    assert sorted(t["name"] for t in listed["things"]) == ["sensor_0", "sensor_1"]
    run("iot-cleanup", str(project), "--yes")
    assert json.loads(run("-J", "list-things", str(project)))["things"] == []


def assert_servers_answer(zaws_exe: str, cwd: Path, env: dict[str, str]) -> None:
    lsp = exchange(
        [zaws_exe, "serve"],
        [
            request(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}}),
            {"jsonrpc": "2.0", "method": "initialized", "params": {}},
            request(2, "shutdown"),
            {"jsonrpc": "2.0", "method": "exit"},
        ],
        cwd=cwd,
        env=env,
    )
    assert lsp[1]["result"]["serverInfo"]["name"] == "zaws", lsp
    assert lsp[2]["result"] is None, lsp
    parent = cwd.as_uri()
    rpc = exchange(
        [zaws_exe, "rpc", "--local"],
        [
            request(1, "zaws/createProject", {"name": "rpc-demo", "parentUri": parent}),
            request(2, "zaws/listThings", {"projectUri": f"{parent}/rpc-demo"}),
        ],
        cwd=cwd,
        env=env,
    )
    assert rpc[1]["result"]["projectUri"] == f"{parent}/rpc-demo", rpc
    assert rpc[2]["result"]["things"] == [], rpc
