"""Expected failures: one line saying what failed and what to do, non-zero exit, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def one_error_line(result: Any) -> str:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("zaws: error: ")
    return lines[0]


def test_unknown_project(tmp_path: Path, run_zaws: Any) -> None:
    line = one_error_line(run_zaws("add-things", str(tmp_path / "nope"), "--thing-base-name", "a"))
    assert "No project folder" in line and "thing-project-from-template" in line


def test_existing_folder_is_never_overwritten(tmp_path: Path, run_zaws: Any) -> None:
    (tmp_path / "demo").mkdir()
    line = one_error_line(run_zaws("thing-project-from-template", "demo", str(tmp_path)))
    assert "already exists" in line


def test_missing_policy(project: Path, run_zaws: Any) -> None:
    conf = json.loads((project / "thing.conf.json").read_text())
    conf["policy_name"] = "ghost"
    (project / "thing.conf.json").write_text(json.dumps(conf))
    line = one_error_line(run_zaws("add-things", str(project), "--thing-base-name", "d"))
    assert "'ghost'" in line and "zaws create-policy ghost" in line


def test_unknown_thing_id(project: Path, run_zaws: Any) -> None:
    assert run_zaws("add-things", str(project), "--thing-base-name", "d").returncode == 0
    line = one_error_line(run_zaws("set-active-thing", str(project), "--thing-id", "7"))
    assert "d_7" in line and "d_0" in line


@pytest.mark.parametrize(
    ("firmware", "expected"),
    [
        ({"bc_idx": 1}, "lacks bcbin"),
        ({"bcbin": "AAAA"}, "lacks bc_idx"),
        ({"bcbin": "not base64!", "bc_idx": 1}, "not valid base64"),
    ],
)
def test_bad_firmware(
    tmp_path: Path, run_zaws: Any, aws: Any, firmware: dict[str, object], expected: str
) -> None:
    path = tmp_path / "fw.json"
    path.write_text(json.dumps(firmware))
    line = one_error_line(run_zaws("iot-fota-start", "t", str(path), "bucket-x", "role"))
    assert expected in line and "link" in line


def test_duration_out_of_range(tmp_path: Path, run_zaws: Any) -> None:
    line = one_error_line(
        run_zaws("iot-fota-start", "t", str(tmp_path / "fw.json"), "b-b", "r", "--duration", "7200")
    )
    assert "between 60 and 3600" in line


def test_no_credentials_in_real_mode_says_how_to_fix(tmp_path: Path, run_zaws: Any) -> None:
    env = {
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ACCESS_KEY_ID": "",
        "AWS_SECRET_ACCESS_KEY": "",
        "AWS_REGION": "eu-west-1",
    }
    line = one_error_line(run_zaws("create-policy", "p", env=env, local=False))
    assert "No AWS credentials" in line and "--profile" in line and "--local" in line


def test_set_active_thing_does_not_import_boto3(project: Path, run_zaws: Any) -> None:
    assert run_zaws("add-things", str(project), "--thing-base-name", "d").returncode == 0
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "zaws.cli",
            "set-active-thing",
            str(project),
            "--thing-id",
            "0",
        ],
        capture_output=True,
        text=True,
        env={**os.environ},
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "zaws.operations.set_active_thing" in imported
    heavy = {"boto3", "botocore", "rich", "click"}
    assert not any(name.split(".")[0] in heavy for name in imported)
