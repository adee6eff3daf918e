"""iot-cleanup against the emulator: the plan, idempotence, partial failures, crashes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.project_invariants import assert_nothing_lost, local_records, remote_state
from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things
from zaws.operations.cleanup import cleanup, plan_cleanup

KILL_AT = Path(__file__).resolve().parents[1] / "support" / "kill_at.py"


def test_plan_lists_things_and_local_files_and_changes_nothing(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="d", count=2)
    before = remote_state(boto("iot"))
    plan = plan_cleanup(project, aws=aws)
    assert remote_state(boto("iot")) == before
    assert [t.thing_name for t in plan.targets] == ["d_0", "d_1"]
    assert plan.things_to_delete == ["d_0", "d_1"]
    assert plan.certificates_to_delete == 2
    assert {Path(p).name for p in plan.local_paths} >= {
        ".aws_things_resources",
        ".zawsconf",
        "private.pem.key",
        "certificate.pem.crt",
    }


def test_cleanup_deletes_remote_then_local_and_keeps_project_settings(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="d", count=3)
    done = cleanup(project, aws=aws)
    assert sorted(done.things_deleted) == ["d_0", "d_1", "d_2"]
    assert done.certificates_deleted == 3
    assert remote_state(boto("iot")) == (set(), {})
    assert boto("iot").get_policy(policyName="device-policy")  # the policy is the user's
    conf = json.loads((project / "thing.conf.json").read_text())
    assert set(conf) == {"endpoint", "policy_name"}
    assert not (project / ".zawsconf").exists()
    assert not (project / "private.pem.key").exists()


def test_things_already_gone_remotely_are_not_an_error(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="d", count=2)
    iot = boto("iot")
    record = local_records(project)["d_0"]
    iot.detach_thing_principal(thingName="d_0", principal=record["cert_arn"])
    iot.delete_thing(thingName="d_0")
    planned = plan_cleanup(project, aws=aws)
    assert planned.things_to_delete == ["d_1"]  # the dry run counts only what exists
    assert planned.certificates_to_delete == 2
    done = cleanup(project, aws=aws)
    assert done.things_deleted == ["d_1"]  # d_0 was already gone: not counted as deleted
    assert done.certificates_deleted == 2
    assert remote_state(iot) == (set(), {})
    assert local_records(project) == {}
    cleanup(project, aws=aws)  # and a second run is harmless


def test_partial_failure_keeps_records_of_what_still_exists_and_a_rerun_finishes(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="d", count=4)
    iot = boto("iot")
    # d_2's certificate is also attached to a thing outside the project: deleting it conflicts.
    blocker = iot.create_thing(thingName="blocker")["thingName"]
    victim = local_records(project)["d_2"]["cert_arn"]
    iot.attach_thing_principal(thingName=blocker, principal=victim)  # shared cert: delete fails
    with pytest.raises(Exception) as failure:
        cleanup(project, aws=aws)
    assert "run iot-cleanup again" in str(getattr(failure.value, "hint", ""))
    records = local_records(project)
    assert "d_2" in records
    things, certificates = remote_state(iot)
    assert things - {"blocker"} <= set(records)
    assert set(certificates) <= {r["cert_arn"].rsplit("/", 1)[1] for r in records.values()}

    iot.detach_thing_principal(thingName=blocker, principal=victim)
    iot.delete_thing(thingName=blocker)
    cleanup(project, aws=aws)
    assert remote_state(iot) == (set(), {})
    assert local_records(project) == {}


def test_unknown_project_is_refused(tmp_path: Path, aws: AwsSettings) -> None:
    with pytest.raises(Exception, match="No project folder"):
        cleanup(tmp_path / "missing", aws=aws)


CLEANUP_MOMENTS = [
    ("after-call.iot.DetachPolicy", 1),
    ("after-call.iot.DetachThingPrincipal", 3),
    ("after-call.iot.UpdateCertificate", 2),
    ("after-call.iot.DeleteCertificate", 1),
    ("after-call.iot.DeleteThing", 4),
]


@pytest.mark.parametrize(
    ("event", "nth"), CLEANUP_MOMENTS, ids=[f"{e}#{n}" for e, n in CLEANUP_MOMENTS]
)
def test_killed_cleanup_keeps_records_and_a_rerun_finishes(
    project: Path, aws: AwsSettings, zaws_home: Path, boto: Any, event: str, nth: int
) -> None:
    add_things(project, aws=aws, base_name="d", count=5)
    env = {**os.environ, "ZAWS_HOME": str(zaws_home), "ZAWS_LOCAL": "1"}
    args = ["iot-cleanup", str(project), "--yes", "--workers", "2"]
    killed = subprocess.run(
        [sys.executable, str(KILL_AT), event, str(nth), "--", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    iot = boto("iot")
    assert_nothing_lost(project, iot)
    things, _ = remote_state(iot)
    assert things <= set(local_records(project))

    rerun = subprocess.run(
        [sys.executable, "-m", "zaws.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert remote_state(iot) == (set(), {})
    assert local_records(project) == {}
