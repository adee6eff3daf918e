"""add-things against the emulator: files, remote state, numbering, base names, refusals."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, NotFound, ProjectError
from zaws.operations.add_things import add_things
from zaws.operations.progress import ProgressReport


def names(project: Path) -> list[str]:
    folder = project / ".aws_things_resources"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_first_things_get_keys_certificates_and_the_first_becomes_active(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    reports: list[ProgressReport] = []
    added = add_things(project, aws=aws, base_name="dev", count=3, progress=reports.append)

    assert added.things == ["dev_0", "dev_1", "dev_2"] == names(project)
    assert added.active_thing == "dev_0"
    assert reports[-1].done == reports[-1].total == 3
    conf = json.loads((project / "thing.conf.json").read_text())
    assert conf["thingname"] == conf["mqttid"] == "dev_0"
    zawsconf = json.loads((project / ".zawsconf").read_text())
    assert zawsconf == {
        "thing_base_name": "dev",
        "last_thing_id": 2,
        "active_thing_id": 0,
        "project_id": zawsconf["project_id"],
    }
    assert len(zawsconf["project_id"]) == 32
    iot = boto("iot")
    for name in added.things:
        folder = project / ".aws_things_resources" / name
        record = json.loads((folder / "thing.conf.json").read_text())
        assert record == {"mqttid": name, "thingname": name, "cert_arn": record["cert_arn"]}
        assert stat.S_IMODE((folder / "private.pem.key").stat().st_mode) == 0o600
        key = serialization.load_pem_private_key((folder / "private.pem.key").read_bytes(), None)
        cert = x509.load_pem_x509_certificate((folder / "certificate.pem.crt").read_bytes())
        assert key.public_key() == cert.public_key()
        assert iot.list_thing_principals(thingName=name)["principals"] == [record["cert_arn"]]
        attributes = iot.describe_thing(thingName=name)["attributes"]
        assert attributes == {"zaws_project": zawsconf["project_id"]}  # marked as the project's
        cert_id = record["cert_arn"].rsplit("/", 1)[1]
        described = iot.describe_certificate(certificateId=cert_id)["certificateDescription"]
        assert described["status"] == "ACTIVE"
        policies = iot.list_attached_policies(target=record["cert_arn"])["policies"]
        assert [p["policyName"] for p in policies] == ["device-policy"]
    assert not (project / ".zaws" / "add-things").exists()


def test_numbering_continues_and_a_new_base_name_starts_its_own(
    project: Path, aws: AwsSettings
) -> None:
    add_things(project, aws=aws, base_name="dev", count=1)
    assert add_things(project, aws=aws, count=2).things == ["dev_1", "dev_2"]
    assert add_things(project, aws=aws, base_name="prod", count=2).things == ["prod_0", "prod_1"]
    assert add_things(project, aws=aws, count=1).things == ["prod_2"]
    assert add_things(project, aws=aws, base_name="dev", count=1).things == ["dev_3"]
    assert json.loads((project / "thing.conf.json").read_text())["thingname"] == "dev_0"
    assert json.loads((project / ".zawsconf").read_text())["thing_base_name"] == "dev"


def test_first_call_needs_a_base_name(project: Path, aws: AwsSettings) -> None:
    with pytest.raises(InvalidInput, match="base name"):
        add_things(project, aws=aws, count=1)


def test_missing_policy_is_reported_before_anything_is_created(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    conf = json.loads((project / "thing.conf.json").read_text())
    conf["policy_name"] = "no-such-policy"
    (project / "thing.conf.json").write_text(json.dumps(conf))
    with pytest.raises(NotFound, match=r"no-such-policy.*does not exist"):
        add_things(project, aws=aws, base_name="dev", count=2)
    assert boto("iot").list_things()["things"] == []
    assert names(project) == []


def test_empty_policy_name_is_reported(project: Path, aws: AwsSettings) -> None:
    conf = json.loads((project / "thing.conf.json").read_text())
    conf["policy_name"] = ""
    (project / "thing.conf.json").write_text(json.dumps(conf))
    with pytest.raises(ProjectError, match="no policy_name"):
        add_things(project, aws=aws, base_name="dev")


def test_invalid_thing_names_are_refused_before_any_call(
    project: Path, aws: AwsSettings, boto: Any
) -> None:
    with pytest.raises(InvalidInput, match="' '"):
        add_things(project, aws=aws, base_name="my device", count=1)
    with pytest.raises(InvalidInput, match="at most 128"):
        add_things(project, aws=aws, base_name="x" * 127, count=1)
    assert boto("iot").list_things()["things"] == []


def test_a_project_made_by_the_original_toolchain_keeps_working(
    tmp_path: Path, aws: AwsSettings, policy: str, boto: Any
) -> None:
    """Things made as the original did (create-thing, keys active, attach), files in its layout."""
    from zaws.operations.set_active_thing import set_active_thing

    iot = boto("iot")
    root = tmp_path / "legacy"
    for i in range(2):
        name = f"old_{i}"
        iot.create_thing(thingName=name)
        made = iot.create_keys_and_certificate(setAsActive=True)
        iot.attach_thing_principal(thingName=name, principal=made["certificateArn"])
        iot.attach_policy(policyName=policy, target=made["certificateArn"])
        folder = root / ".aws_things_resources" / name
        folder.mkdir(parents=True)
        (folder / "thing.conf.json").write_text(
            json.dumps({"mqttid": name, "thingname": name, "cert_arn": made["certificateArn"]})
        )
        (folder / "private.pem.key").write_text(made["keyPair"]["PrivateKey"])
        (folder / "certificate.pem.crt").write_text(made["certificatePem"])
    (root / "thing.conf.json").write_text(json.dumps({"endpoint": "e", "policy_name": policy}))
    (root / ".zawsconf").write_text(
        json.dumps({"thing_base_name": "old", "last_thing_id": 1, "active_thing_id": 0})
    )

    assert add_things(root, aws=aws, count=2).things == ["old_2", "old_3"]
    assert set_active_thing(root, thing_id=1).thing_name == "old_1"
    from zaws.operations.cleanup import cleanup

    done = cleanup(root, aws=aws)
    assert sorted(done.things_deleted) == ["old_0", "old_1", "old_2", "old_3"]
    assert iot.list_things()["things"] == []
    assert iot.list_certificates()["certificates"] == []
