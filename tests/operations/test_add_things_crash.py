"""Kill add-things (SIGKILL) at many moments, rerun the same command: nothing lost, nothing doubled.

Each case kills the real CLI through a botocore event hook at the n-th occurrence of one AWS call,
checks that what exists remotely is known locally, reruns the same command, and checks the
finished project: the right names, every certificate with its key, orphans deleted.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli_process import run_cli
from tests.support.project_invariants import assert_complete, assert_nothing_lost, local_records

COUNT = 6
ENDPOINT = "abc-ats.iot.us-east-1.amazonaws.com"

MOMENTS = [
    ("after-call.iot.GetPolicy", 1),  # checked the policy, journaled nothing yet
    ("before-call.iot.CreateThing", 1),
    ("after-call.iot.CreateThing", 2),
    ("before-call.iot.CreateKeysAndCertificate", 1),
    ("after-call.iot.CreateKeysAndCertificate", 1),  # certificate made, key in no file: orphan
    ("after-call.iot.CreateKeysAndCertificate", 4),
    ("before-call.iot.UpdateCertificate", 3),  # key saved, certificate still INACTIVE
    ("after-call.iot.UpdateCertificate", 2),
    ("after-call.iot.AttachPolicy", 1),
    ("after-call.iot.AttachThingPrincipal", 1),  # attached, record not yet moved into place
    ("after-call.iot.AttachThingPrincipal", COUNT),  # all remote work done, .zawsconf not yet
]


@pytest.mark.parametrize(("event", "nth"), MOMENTS, ids=[f"{e}#{n}" for e, n in MOMENTS])
def test_killed_add_things_finishes_on_rerun(
    project: Path, zaws_home: Path, boto: Any, policy: str, event: str, nth: int
) -> None:
    args = (
        "add-things",
        str(project),
        "--thing-base-name",
        "dev",
        "--things-number",
        str(COUNT),
        "--workers",
        "3",
    )
    killed = run_cli(zaws_home, *args, kill=(event, nth))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    iot = boto("iot")
    assert_nothing_lost(project, iot)

    rerun = run_cli(zaws_home, *args)
    assert rerun.returncode == 0, rerun.stderr
    assert_complete(project, iot, [f"dev_{i}" for i in range(COUNT)], policy)

    # Numbering goes on after the finished batch.
    more = run_cli(zaws_home, "add-things", str(project), "--things-number", "1")
    assert more.returncode == 0, more.stderr
    assert (project / ".aws_things_resources" / f"dev_{COUNT}").is_dir()


def test_a_different_command_is_refused_while_a_run_is_unfinished(
    project: Path, zaws_home: Path, boto: Any, policy: str
) -> None:
    args = ("add-things", str(project), "--thing-base-name", "dev", "--things-number", "4")
    run_cli(zaws_home, *args, kill=("after-call.iot.CreateThing", 2))
    other = run_cli(zaws_home, "add-things", str(project), "--thing-base-name", "dev")
    assert other.returncode == 1
    assert "has not finished" in other.stderr and "--things-number 4" in other.stderr


def journal_states(project: Path) -> dict[str, dict[str, Any]]:
    states: dict[str, dict[str, Any]] = {}
    log = project / ".zaws" / "add-things" / "log.jsonl"
    for line in log.read_text().splitlines():
        entry = json.loads(line)
        state = states.setdefault(entry["thing"], {})
        state["step"] = entry["step"]
        if "cert_arn" in entry:
            state["cert_arn"] = entry["cert_arn"]
    return states


def test_a_journaled_certificate_deleted_meanwhile_is_made_again(
    project: Path, zaws_home: Path, boto: Any, policy: str
) -> None:
    args = ("add-things", str(project), "--thing-base-name", "dev", "--things-number", "3")
    killed = run_cli(
        zaws_home, *args, "--workers", "1", kill=("before-call.iot.AttachThingPrincipal", 2)
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    stuck = {n: s for n, s in journal_states(project).items() if s["step"] == "principal"}
    assert list(stuck) == ["dev_1"]
    iot = boto("iot")
    arn = stuck["dev_1"]["cert_arn"]
    iot.detach_policy(policyName=policy, target=arn)
    iot.update_certificate(certificateId=arn.rsplit("/", 1)[1], newStatus="INACTIVE")
    iot.delete_certificate(certificateId=arn.rsplit("/", 1)[1])  # by hand, meanwhile

    rerun = run_cli(zaws_home, *args)
    assert rerun.returncode == 0, rerun.stderr
    assert_complete(project, iot, ["dev_0", "dev_1", "dev_2"], policy)
    assert local_records(project)["dev_1"]["cert_arn"] != arn


def test_the_resume_command_is_absolute_and_quoted(
    tmp_path: Path, zaws_home: Path, boto: Any, policy: str
) -> None:
    from zaws.operations.create_project import create_project

    parent = tmp_path / "my projects"
    parent.mkdir()
    made = Path(create_project("dev board", parent, endpoint=ENDPOINT, policy_name=policy).path)
    args = ("add-things", str(made), "--thing-base-name", "dev", "--things-number", "4")
    run_cli(zaws_home, *args, kill=("after-call.iot.CreateThing", 2))
    os.chdir(tmp_path)  # the printed command works from anywhere
    other = run_cli(zaws_home, "add-things", "my projects/dev board", "--thing-base-name", "x")
    assert other.returncode == 1
    command = other.stderr.split("finish it first: ", 1)[1].rsplit(")", 1)[0]
    assert command.startswith(f"zaws add-things {shlex.quote(str(made))} ")
    words = shlex.split(command)
    assert words[2] == str(made)
    finished = run_cli(zaws_home, *words[1:])
    assert finished.returncode == 0, finished.stderr
    assert_complete(made, boto("iot"), [f"dev_{i}" for i in range(4)], policy)
