"""remove-thing against the emulator: only the named things go, the rest stay; refusals; the active
thing; numbering; what another principal or project holds stays in AWS; a rerun after a kill."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli_process import run_cli
from tests.support.project_invariants import local_records, remote_state
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound, ProjectError
from zaws.operations.add_things import add_things
from zaws.operations.remove_things import plan_remove_things, remove_things
from zaws.operations.set_active_thing import set_active_thing


def cert_ids(project: Path, *names: str) -> set[str]:
    records = local_records(project)
    return {records[name]["cert_arn"].rsplit("/", 1)[1] for name in names}


def test_only_the_named_things_go(project: Path, aws: AwsSettings, boto: Any) -> None:
    add_things(project, aws=aws, base_name="dev", count=4)
    iot = boto("iot")
    keep = cert_ids(project, "dev_0", "dev_3")
    plan = plan_remove_things(project, ["dev_1", "dev_2"], aws=aws)
    assert plan.things_to_delete == ["dev_1", "dev_2"] and plan.certificates_to_delete == 2
    assert not plan.active_thing_removed

    done = remove_things(project, ["dev_1", "dev_2"], aws=aws)
    assert done.removed == done.things_deleted == ["dev_1", "dev_2"]
    assert done.certificates_deleted == 2 and not done.active_thing_cleared
    things, certificates = remote_state(iot)
    assert things == {"dev_0", "dev_3"} and set(certificates) == keep
    assert sorted(local_records(project)) == ["dev_0", "dev_3"]
    assert json.loads((project / "thing.conf.json").read_text())["thingname"] == "dev_0"


def test_removing_the_active_thing_leaves_no_active_thing(project: Path, aws: AwsSettings) -> None:
    add_things(project, aws=aws, base_name="dev", count=2)
    set_active_thing(project, thing_name="dev_1")
    done = remove_things(project, ["dev_1"], aws=aws)
    assert done.active_thing_cleared
    conf = json.loads((project / "thing.conf.json").read_text())
    assert "thingname" not in conf and "cert_arn" not in conf
    assert not (project / "private.pem.key").exists()
    assert not (project / "certificate.pem.crt").exists()


def test_a_removed_number_is_never_given_again(project: Path, aws: AwsSettings) -> None:
    add_things(project, aws=aws, base_name="dev", count=2)
    add_things(project, aws=aws, base_name="gw", count=2)  # .zawsconf now speaks of gw
    remove_things(project, ["dev_1", "gw_1"], aws=aws)
    again = add_things(project, aws=aws, base_name="dev", count=1)
    assert again.things == ["dev_2"]
    assert add_things(project, aws=aws, base_name="gw", count=1).things == ["gw_2"]


@pytest.mark.parametrize(
    ("names", "error", "message"),
    [
        (["dev_9"], NotFound, "has no thing named 'dev_9'"),
        (["../other/.aws_things_resources/dev_0"], InvalidInput, "characters AWS does not allow"),
        ([], InvalidInput, "at least one thing"),
    ],
)
def test_refusals_change_nothing(
    project: Path, aws: AwsSettings, boto: Any, names: list[str], error: type, message: str
) -> None:
    add_things(project, aws=aws, base_name="dev", count=1)
    before = remote_state(boto("iot"))
    with pytest.raises(error, match=message):
        remove_things(project, ["dev_0", *names] if names else [], aws=aws)
    assert remote_state(boto("iot")) == before
    assert sorted(local_records(project)) == ["dev_0"]


def test_another_principal_keeps_the_thing_in_aws(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="dev", count=1)
    iot = boto("iot")
    outsider = iot.create_keys_and_certificate(setAsActive=True)["certificateArn"]
    iot.attach_thing_principal(thingName="dev_0", principal=outsider)
    done = remove_things(project, ["dev_0"], aws=aws)
    assert done.things_deleted == [] and done.certificates_deleted == 1
    assert [k.thing_name for k in done.things_kept] == ["dev_0"]
    assert iot.list_thing_principals(thingName="dev_0")["principals"] == [outsider]
    assert local_records(project) == {}


def test_a_killed_removal_finishes_on_rerun(
    project: Path, zaws_home: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="dev", count=4)
    keep = cert_ids(project, "dev_0")
    args = ("remove-thing", str(project), "dev_1", "dev_2", "dev_3", "--yes")
    killed = run_cli(zaws_home, *args, kill=("after-call.iot.DeleteCertificate", 2))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    things, _ = remote_state(boto("iot"))
    assert things <= set(local_records(project))  # nothing in AWS without its record
    leftover = [name for name in ("dev_1", "dev_2", "dev_3") if name in local_records(project)]
    rerun = run_cli(zaws_home, "remove-thing", str(project), *leftover, "--yes")
    assert rerun.returncode == 0, rerun.stderr
    things, certificates = remote_state(boto("iot"))
    assert things == {"dev_0"} and set(certificates) == keep


def test_a_revoked_or_deactivated_thing_cannot_be_made_active(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    from zaws.operations.certificate_status import set_certificate_status

    add_things(project, aws=aws, base_name="dev", count=3)
    revoked = set_certificate_status(project, "dev_1", "REVOKED", aws=aws)
    assert (revoked.previous_status, revoked.status) == ("ACTIVE", "REVOKED")
    described = boto("iot").describe_certificate(certificateId=revoked.certificate_id)
    assert described["certificateDescription"]["status"] == "REVOKED"
    with pytest.raises(ProjectError, match="revoked"):
        set_active_thing(project, thing_name="dev_1")
    with pytest.raises(InvalidInput, match="never lets it become active"):
        set_certificate_status(project, "dev_1", "ACTIVE", aws=aws)
    with pytest.raises(InvalidInput, match="REVOKED already"):
        set_certificate_status(project, "dev_1", "REVOKED", aws=aws)

    set_certificate_status(project, "dev_2", "INACTIVE", aws=aws)
    with pytest.raises(ProjectError, match="deactivated") as deactivated:
        set_active_thing(project, thing_name="dev_2")
    assert "zaws activate-certificate" in (deactivated.value.hint or "")
    set_certificate_status(project, "dev_2", "ACTIVE", aws=aws)
    assert set_active_thing(project, thing_name="dev_2").thing_name == "dev_2"

    from zaws.operations.list_things import list_things

    statuses = {t.name: t.certificate_status for t in list_things(project).things}
    assert statuses == {"dev_0": None, "dev_1": "REVOKED", "dev_2": None}


def test_a_thing_with_a_revoked_certificate_can_be_removed(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    from zaws.operations.certificate_status import set_certificate_status

    add_things(project, aws=aws, base_name="dev", count=2)
    set_certificate_status(project, "dev_1", "REVOKED", aws=aws)
    done = remove_things(project, ["dev_1"], aws=aws)
    assert done.things_deleted == ["dev_1"] and done.certificates_deleted == 1
    assert remote_state(boto("iot"))[0] == {"dev_0"}
