"""Expected failures: one line saying what failed and what to do, non-zero exit, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.project.test_thing_project import original_project


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


# -- set-active-thing: the fast path (`zaws.cli`, as the `zaws` script) and click (`zaws`) ---------
BOTH_PATHS = pytest.mark.parametrize("entry", ["zaws.cli", "zaws"], ids=["fast", "click"])


def run_local(entry: str, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`zaws ARGS` for commands that need no AWS: through the fast path or straight to click."""
    environment = {**os.environ, "ZAWS_HOME": str(home)}
    environment.pop("ZAWS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", entry, *args], capture_output=True, text=True, env=environment
    )


@pytest.fixture
def hand_made(tmp_path: Path) -> Path:
    """Project `p` (dev_0..dev_2) beside project `other` (dev_0..dev_2), as the original writes."""
    original_project(tmp_path / "other", ["dev_0", "dev_1", "dev_2"])
    return original_project(tmp_path / "p", ["dev_0", "dev_1", "dev_2"])


@BOTH_PATHS
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--thing-name", ".."], "The thing name '..'"),
        (["--thing-name", "../../other/.aws_things_resources/dev_2"], "characters AWS does not"),
        (["--thing-name", "dev_1/../../../other/.aws_things_resources/dev_2"], "thing name"),
        (["--thing-id", "²"], "'²' is not a valid integer"),
        (["--thing-id", "9" * 5000], "is not a valid integer"),
    ],
)
def test_set_active_thing_refuses_what_is_not_a_thing(
    hand_made: Path, tmp_path: Path, entry: str, args: list[str], expected: str
) -> None:
    result = run_local(entry, "set-active-thing", str(hand_made), *args, home=tmp_path)
    assert expected in one_error_line(result)
    assert not (hand_made / "private.pem.key").exists()


@BOTH_PATHS
@pytest.mark.parametrize(
    ("zawsconf", "expected"),
    [
        (b'{"thing_base_name": "dev", "last_thing_id": 1e400}', "last_thing_id"),
        (b'{"thing_base_name": "d\xffv", "last_thing_id": 2}', "not valid UTF-8"),
        (b'{"thing_base_name": null, "last_thing_id": 2}', "thing_base_name"),
    ],
)
def test_set_active_thing_with_a_corrupted_zawsconf(
    hand_made: Path, tmp_path: Path, entry: str, zawsconf: bytes, expected: str
) -> None:
    (hand_made / ".zawsconf").write_bytes(zawsconf)
    result = run_local(entry, "set-active-thing", str(hand_made), "--thing-id", "1", home=tmp_path)
    line = one_error_line(result)
    assert result.returncode == 1
    assert expected in line and ".zawsconf" in line


@BOTH_PATHS
def test_set_active_thing_that_cannot_write_says_which_file(
    hand_made: Path, tmp_path: Path, entry: str
) -> None:
    (hand_made / "private.pem.key").mkdir()  # a folder where the key must go
    result = run_local(entry, "set-active-thing", str(hand_made), "--thing-id", "1", home=tmp_path)
    assert result.returncode == 1
    assert "private.pem.key" in one_error_line(result)


@BOTH_PATHS
@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_set_active_thing_in_a_read_only_project(
    hand_made: Path, tmp_path: Path, entry: str
) -> None:
    hand_made.chmod(0o555)
    try:
        result = run_local(entry, "set-active-thing", str(hand_made), home=tmp_path)
    finally:
        hand_made.chmod(0o755)
    assert result.returncode == 1
    assert "ermission denied" in one_error_line(result)


@BOTH_PATHS
@pytest.mark.parametrize(
    "options",
    [["--local"], ["--profile", "x"], ["--region=eu-west-1", "--local"], ["--endpoint-url", "u"]],
)
def test_global_options_after_set_active_thing(
    hand_made: Path, tmp_path: Path, entry: str, options: list[str]
) -> None:
    args = ["set-active-thing", str(hand_made), "--thing-id", "2", *options, "-J"]
    result = run_local(entry, *args, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["thing_name"] == "dev_2"


def test_global_options_after_any_command_name(hand_made: Path, tmp_path: Path) -> None:
    result = run_local("zaws.cli", "emulator", "status", "--local", "-J", home=tmp_path)
    assert "No such option" not in result.stderr
    assert json.loads(result.stdout)["running"] is False  # -J after the command name took effect
    listing = run_local("zaws.cli", "list-things", str(hand_made), "--json", home=tmp_path)
    assert listing.returncode == 0 and len(json.loads(listing.stdout)["things"]) == 3


def test_an_unknown_option_is_one_line_too(hand_made: Path, tmp_path: Path) -> None:
    result = run_local("zaws.cli", "set-active-thing", str(hand_made), "--lokal", home=tmp_path)
    assert result.returncode == 2
    assert "No such option '--lokal'" in one_error_line(result)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["demo\nproject"], "U+000A"),
        (["a\\b"], "path separator"),
        (["demo", "--aws-policy-name", "bad policy"], "not a valid AWS IoT policy name"),
    ],
)
def test_thing_project_from_template_refuses_bad_names_before_writing(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    parent = tmp_path / "projects"
    parent.mkdir()
    name, *options = args
    result = run_local(
        "zaws.cli",
        "thing-project-from-template",
        name,
        str(parent),
        "--aws-endpoint",
        "e",
        *options,
        home=tmp_path,
    )
    assert expected in one_error_line(result)
    assert list(parent.iterdir()) == []


def test_an_operating_system_error_is_one_line_not_a_bug(tmp_path: Path, run_zaws: Any) -> None:
    result = run_zaws("thing-project-from-template", "a" * 300, str(tmp_path))
    assert result.returncode == 1, result.stderr
    line = one_error_line(result)
    assert "name too long" in line and "shorter" in line
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("blocker", [".aws_things_resources", ".zaws"])
def test_a_file_where_a_folder_should_be_is_refused_before_any_remote_change(
    project: Path, run_zaws: Any, boto: Any, blocker: str
) -> None:
    (project / blocker).write_text("not a folder")
    result = run_zaws("add-things", str(project), "--thing-base-name", "dev")
    assert result.returncode == 1, result.stderr
    assert f"{blocker} is not a folder" in one_error_line(result)
    assert boto("iot").list_things()["things"] == []
    assert boto("iot").list_certificates()["certificates"] == []
