"""rotate-certificate against the emulator: a new key and certificate in place, the old one retired
after (or kept with --keep-old), the active copies following, and a kill at any step finished by a
rerun with no certificate in AWS whose key is not on disk."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli_process import run_cli
from tests.support.project_invariants import (
    key_matches_certificate,
    local_records,
    orphans_under_review,
    remote_state,
)
from zaws.aws.settings import AwsSettings
from zaws.checks.certificates import certificate_id
from zaws.errors import ProjectError
from zaws.operations.add_things import add_things
from zaws.operations.rotate_certificates import retire_old_certificates, rotate_certificates


def arn_of(project: Path, thing: str) -> str:
    return str(local_records(project)[thing]["cert_arn"])


def keys_on_disk(project: Path) -> set[str]:
    """Ids of every certificate whose PEM (and key) the project holds, rotations included."""
    found = set()
    for pem in project.rglob("certificate.pem.crt*"):
        found.add(certificate_id(pem.read_bytes()))
    return found


def test_rotation_swaps_in_a_new_certificate_and_retires_the_old(
    project: Path, aws: AwsSettings, boto: Any, policy: str
) -> None:
    add_things(project, aws=aws, base_name="dev", count=2)
    iot = boto("iot")
    old = arn_of(project, "dev_0")
    other = arn_of(project, "dev_1")

    done = rotate_certificates(project, ["dev_0"], aws=aws)

    [rotated] = done.rotated
    new = arn_of(project, "dev_0")
    assert rotated.new_cert_arn == new != old and rotated.old_cert_arn == old
    assert iot.list_thing_principals(thingName="dev_0")["principals"] == [new]
    attached = iot.list_attached_policies(target=new)["policies"]
    assert [p["policyName"] for p in attached] == [policy]
    _, certificates = remote_state(iot)
    assert set(certificates) == {new.rsplit("/", 1)[1], other.rsplit("/", 1)[1]}
    assert certificates[new.rsplit("/", 1)[1]] == "ACTIVE"
    folder = project / ".aws_things_resources" / "dev_0"
    assert key_matches_certificate(folder)
    assert not list(folder.glob("*.previous"))
    # dev_0 is the active thing: the top-level copies follow.
    assert certificate_id((project / "certificate.pem.crt").read_bytes()) == new.rsplit("/")[-1]
    assert json.loads((project / "thing.conf.json").read_text())["cert_arn"] == new
    assert not (project / ".zaws" / "rotate-certificate").exists()


def test_keep_old_leaves_the_old_certificate_working_until_retired(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="dev", count=1)
    iot = boto("iot")
    old = arn_of(project, "dev_0")
    rotate_certificates(project, ["dev_0"], aws=aws, retire_old=False)
    new = arn_of(project, "dev_0")
    assert sorted(iot.list_thing_principals(thingName="dev_0")["principals"]) == sorted([old, new])
    record = local_records(project)["dev_0"]
    assert record["previous_cert_arn"] == old
    folder = project / ".aws_things_resources" / "dev_0"
    assert (folder / "private.pem.key.previous").stat().st_mode & 0o777 == 0o600
    with pytest.raises(ProjectError, match="earlier rotation") as refused:
        rotate_certificates(project, ["dev_0"], aws=aws)
    assert "zaws retire-old-certificate" in (refused.value.hint or "")

    assert retire_old_certificates(project, ["dev_0"], aws=aws) == ["dev_0"]
    assert iot.list_thing_principals(thingName="dev_0")["principals"] == [new]
    assert set(remote_state(iot)[1]) == {new.rsplit("/", 1)[1]}
    assert "previous_cert_arn" not in local_records(project)["dev_0"]
    assert not list(folder.glob("*.previous"))


def test_cleanup_deletes_an_old_certificate_a_rotation_kept(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    from zaws.operations.cleanup import cleanup

    add_things(project, aws=aws, base_name="dev", count=1)
    rotate_certificates(project, ["dev_0"], aws=aws, retire_old=False)
    done = cleanup(project, aws=aws)
    assert done.things_deleted == ["dev_0"] and done.certificates_deleted == 2
    assert remote_state(boto("iot")) == (set(), {})


def test_a_revoked_certificate_is_replaced(project: Path, aws: AwsSettings, boto: Any) -> None:
    from zaws.operations.certificate_status import set_certificate_status
    from zaws.operations.set_active_thing import set_active_thing

    add_things(project, aws=aws, base_name="dev", count=2)
    set_certificate_status(project, "dev_1", "REVOKED", aws=aws)
    rotate_certificates(project, ["dev_1"], aws=aws)
    assert set_active_thing(project, thing_name="dev_1").thing_name == "dev_1"
    assert len(remote_state(boto("iot"))[1]) == 2


MOMENTS = [
    ("after-call.iot.CreateKeysAndCertificate", 1),
    ("before-call.iot.AttachPolicy", 1),
    ("after-call.iot.AttachThingPrincipal", 1),
    ("before-call.iot.DetachThingPrincipal", 1),
    ("after-call.iot.DeleteCertificate", 1),
]


@pytest.mark.parametrize(("event", "nth"), MOMENTS, ids=[f"{e}#{n}" for e, n in MOMENTS])
def test_a_killed_rotation_finishes_on_rerun(
    project: Path, zaws_home: Path, aws: AwsSettings, boto: Any, policy: str, event: str, nth: int
) -> None:
    add_things(project, aws=aws, base_name="dev", count=2)
    iot = boto("iot")
    args = ("rotate-certificate", str(project), "dev_0", "dev_1")
    killed = run_cli(zaws_home, *args, kill=(event, nth))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    _, certificates = remote_state(iot)
    unknown = set(certificates) - keys_on_disk(project)
    # Only a request whose answer the kill took can have made a certificate with no key on disk.
    assert len(unknown) <= unanswered_requests(project), unknown

    log = project / ".zaws" / "rotate-certificate" / "log.jsonl"
    killed_log = log.read_text() if log.exists() else ""  # for a failure's message
    rerun = run_cli(zaws_home, *args)
    assert rerun.returncode == 0, rerun.stderr
    records = local_records(project)
    things, certificates = remote_state(iot)
    assert things == {"dev_0", "dev_1"}
    left_aside = [p.name for p in (project / ".aws_things_resources").iterdir() if p.name[0] == "."]
    assert left_aside == []  # a swap the kill cut short leaves no old folder (and key) behind
    recorded = {r["cert_arn"].rsplit("/", 1)[1] for r in records.values()}
    story = f"records {records}, certificates {certificates}, journal {killed_log}"
    assert recorded <= set(certificates), story
    for name, record in records.items():
        principals = iot.list_thing_principals(thingName=name)["principals"]
        assert principals == [record["cert_arn"]], story
        assert key_matches_certificate(project / ".aws_things_resources" / name)
        assert "previous_cert_arn" not in record
    # Every certificate the project does not know is one a lost answer made, under review.
    # (Compared after the rerun: the emulator may finish a request the killed client sent.)
    assert set(certificates) - recorded == orphans_under_review(project, iot), story


def unanswered_requests(project: Path) -> int:
    log = project / ".zaws" / "rotate-certificate" / "log.jsonl"
    steps = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    asked = sum(1 for step in steps if step["step"] == "cert")
    answered = sum(1 for step in steps if step["step"] == "cert-saved")
    return asked - answered


def test_a_rotation_can_make_the_new_key_here(project: Path, aws: AwsSettings) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    add_things(project, aws=aws, base_name="dev", count=1)
    rotate_certificates(project, ["dev_0"], aws=aws, keys="local", key_type="ec-p384")
    folder = project / ".aws_things_resources" / "dev_0"
    key = serialization.load_pem_private_key((folder / "private.pem.key").read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.key_size == 384
    assert key_matches_certificate(folder)


def test_a_rerun_removes_the_old_folder_a_kill_left_aside_after_the_swap(
    project: Path, zaws_home: Path, aws: AwsSettings, boto: Any, policy: str, tmp_path: Path
) -> None:
    """The swap renames the old folder aside, the new one in, then removes the old: a kill
    just before that removal (not a botocore moment: made here by hand) leaves the old key."""
    import shutil

    add_things(project, aws=aws, base_name="dev", count=1)
    resources = project / ".aws_things_resources"
    shutil.copytree(resources / "dev_0", tmp_path / "old")
    args = ("rotate-certificate", str(project), "dev_0")
    killed = run_cli(zaws_home, *args, kill=("before-call.iot.DetachThingPrincipal", 1))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    old_folder = resources / ".dev_0.old"
    shutil.copytree(tmp_path / "old", old_folder)  # the old record and key, as renamed aside
    rerun = run_cli(zaws_home, *args)
    assert rerun.returncode == 0, rerun.stderr
    assert not old_folder.exists()
    assert set(remote_state(boto("iot"))[1]) == {certificate_id_of(project, "dev_0")}


def certificate_id_of(project: Path, thing: str) -> str:
    return arn_of(project, thing).rsplit("/", 1)[1]
