"""Two projects, or a project and a colleague, in one AWS account: zaws never takes over or deletes
a thing or certificate it did not make, and the dry run says exactly what the real run does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.project_invariants import local_records, remote_state
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput
from zaws.operations.add_things import add_things
from zaws.operations.cleanup import cleanup, plan_cleanup
from zaws.operations.create_project import create_project


def second_project(tmp_path: Path, policy: str) -> Path:
    made = create_project(
        "colleague", tmp_path, endpoint="abc-ats.iot.us-east-1.amazonaws.com", policy_name=policy
    )
    return Path(made.path)


def principals(iot: Any, thing: str) -> list[str]:
    return list(iot.list_thing_principals(thingName=thing)["principals"])


def test_the_same_base_name_in_a_second_project_is_refused_before_any_change(
    project: Path, tmp_path: Path, aws: AwsSettings, policy: str, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="dev", count=3)
    iot = boto("iot")
    before = remote_state(iot)
    other = second_project(tmp_path, policy)

    with pytest.raises(InvalidInput) as refused:
        add_things(other, aws=aws, base_name="dev", count=2)

    assert "dev_0, dev_1" in refused.value.message
    assert "another zaws project" in refused.value.message
    assert "--thing-base-name" in (refused.value.hint or "")
    assert remote_state(iot) == before  # no certificate made, nothing attached
    assert all(len(principals(iot, f"dev_{i}")) == 1 for i in range(3))
    assert local_records(other) == {}
    assert not (other / ".zaws" / "add-things").exists()  # nothing journaled: nothing to resume


def test_a_thing_made_outside_zaws_is_not_adopted(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    iot = boto("iot")
    iot.create_thing(thingName="dev_1")  # a colleague's, made with the console or the CLI
    with pytest.raises(InvalidInput, match="not made by this project"):
        add_things(project, aws=aws, base_name="dev", count=3)
    things, certificates = remote_state(iot)
    assert things == {"dev_1"} and certificates == {}


def test_a_resumed_run_keeps_its_own_things(
    project: Path, aws: AwsSettings, boto: Any, policy: str
) -> None:
    """Its own marked things are not a clash: the check compares the mark, not the name."""
    add_things(project, aws=aws, base_name="dev", count=2)
    more = add_things(project, aws=aws, count=2)
    assert more.things == ["dev_2", "dev_3"]
    conf = json.loads((project / ".zawsconf").read_text())
    for name in ("dev_0", "dev_3"):
        assert boto("iot").describe_thing(thingName=name)["attributes"] == {
            "zaws_project": conf["project_id"]
        }


def adopt_as_zaws_did_before(iot: Any, project: Path, thing: str, policy: str) -> str:
    """What an older zaws did for a clashing name: attach a second certificate and record it."""
    made = iot.create_keys_and_certificate(setAsActive=True)
    iot.attach_policy(policyName=policy, target=made["certificateArn"])
    iot.attach_thing_principal(thingName=thing, principal=made["certificateArn"])
    folder = project / ".aws_things_resources" / thing
    folder.mkdir(parents=True)
    (folder / "private.pem.key").write_text(made["keyPair"]["PrivateKey"])
    (folder / "certificate.pem.crt").write_text(made["certificatePem"])
    record = {"mqttid": thing, "thingname": thing, "cert_arn": made["certificateArn"]}
    (folder / "thing.conf.json").write_text(json.dumps(record))
    return str(made["certificateArn"])


def test_cleanup_removes_only_its_own_certificates_from_a_colleagues_things(
    project: Path, tmp_path: Path, aws: AwsSettings, policy: str, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="dev", count=3)
    iot = boto("iot")
    theirs = {f"dev_{i}": principals(iot, f"dev_{i}") for i in range(3)}
    other = second_project(tmp_path, policy)
    (other / ".zawsconf").write_text('{"thing_base_name": "dev", "last_thing_id": 1}')
    ours = [adopt_as_zaws_did_before(iot, other, f"dev_{i}", policy) for i in range(2)]

    plan = plan_cleanup(other, aws=aws)
    assert plan.things_to_delete == []
    assert [t.thing_name for t in plan.things_to_keep] == ["dev_0", "dev_1"]
    assert all(t.reason == "made by another zaws project" for t in plan.things_to_keep)
    assert plan.certificates_to_delete == 2

    done = cleanup(other, aws=aws)
    assert done.things_deleted == []
    assert done.certificates_deleted == 2
    assert [k.thing_name for k in done.things_kept] == ["dev_0", "dev_1"]
    things, certificates = remote_state(iot)
    assert things == {"dev_0", "dev_1", "dev_2"}
    assert not {arn.rsplit("/", 1)[1] for arn in ours} & set(certificates)
    assert {name: principals(iot, name) for name in theirs} == theirs  # the colleague's intact
    assert local_records(other) == {}


def test_a_thing_with_someone_elses_certificate_attached_stays(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="d", count=2)
    iot = boto("iot")
    outsider = iot.create_keys_and_certificate(setAsActive=True)["certificateArn"]
    iot.attach_thing_principal(thingName="d_1", principal=outsider)

    plan = plan_cleanup(project, aws=aws)
    assert plan.things_to_delete == ["d_0"]
    assert plan.things_to_keep[0].thing_name == "d_1"
    assert outsider in (plan.things_to_keep[0].reason or "")

    done = cleanup(project, aws=aws)
    assert done.things_deleted == ["d_0"]
    assert done.certificates_deleted == 2
    assert [k.thing_name for k in done.things_kept] == ["d_1"]
    assert principals(iot, "d_1") == [outsider]  # ours detached, theirs untouched
    things, certificates = remote_state(iot)
    assert things == {"d_1"} and list(certificates) == [outsider.rsplit("/", 1)[1]]


def test_an_unmarked_thing_of_an_old_project_is_deleted_only_while_only_ours_is_attached(
    project: Path, aws: AwsSettings, boto: Any, policy: str
) -> None:
    """Things recorded before zaws marked them: ours if only our certificate is attached."""
    iot = boto("iot")
    for name in ("old_0", "old_1"):
        iot.create_thing(thingName=name)
        adopt_as_zaws_did_before(iot, project, name, policy)
    outsider = iot.create_keys_and_certificate(setAsActive=True)["certificateArn"]
    iot.attach_thing_principal(thingName="old_1", principal=outsider)

    done = cleanup(project, aws=aws)
    assert done.things_deleted == ["old_0"]
    assert [k.thing_name for k in done.things_kept] == ["old_1"]
    assert remote_state(iot)[0] == {"old_1"}
