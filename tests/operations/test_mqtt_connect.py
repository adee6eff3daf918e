"""Which endpoint and identity `zaws mqtt` connects with, read from the project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zaws.aws.settings import AwsSettings
from zaws.errors import CredentialsMissing, NotFound, ProjectError
from zaws.mqtt.connection import AwsIdentity, ThingIdentity
from zaws.operations.add_things import add_things
from zaws.operations.mqtt_connect import resolve_target, user_credentials

ENDPOINT = "a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com"


def real(tmp_path: Path, **settings: object) -> AwsSettings:
    return AwsSettings(local=False, home=tmp_path / "home", **settings)  # type: ignore[arg-type]


def test_a_thing_connects_with_its_records_key_certificate_and_mqttid(
    project: Path, aws: AwsSettings, tmp_path: Path
) -> None:
    add_things(project, aws=aws, base_name="sensor", count=1)
    conf_path = project / ".aws_things_resources" / "sensor_0" / "thing.conf.json"
    conf = json.loads(conf_path.read_text())
    conf["mqttid"] = "sensor_0-client"
    conf_path.write_text(json.dumps(conf))
    target = resolve_target(project, aws=real(tmp_path), thing="sensor_0")
    identity = target.identity
    assert isinstance(identity, ThingIdentity)
    assert identity.client_id == "sensor_0-client"
    assert identity.certificate_file.read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert identity.private_key_file.name == "private.pem.key"
    assert target.endpoint.server_name == "abc-ats.iot.us-east-1.amazonaws.com"  # thing.conf.json
    assert not target.endpoint.local


def test_a_thing_without_its_key_cannot_connect(
    project: Path, aws: AwsSettings, tmp_path: Path
) -> None:
    add_things(project, aws=aws, base_name="sensor", count=1)
    (project / ".aws_things_resources" / "sensor_0" / "private.pem.key").unlink()
    with pytest.raises(ProjectError, match=r"private\.pem\.key"):
        resolve_target(project, aws=real(tmp_path), thing="sensor_0")
    with pytest.raises(NotFound, match="no thing named 'sensor_9'"):
        resolve_target(project, aws=real(tmp_path), thing="sensor_9")


def test_by_default_the_user_connects_with_a_client_id_of_its_own(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "token")
    target = resolve_target(project, aws=real(tmp_path, region="eu-west-1"))
    identity = target.identity
    assert isinstance(identity, AwsIdentity)
    assert identity.client_id.startswith("zaws-") and identity.region == "eu-west-1"
    assert identity.credentials.token == "token"
    assert target.thing is None


def test_local_mode_signs_with_the_local_credentials(tmp_path: Path) -> None:
    region, credentials = user_credentials(AwsSettings(local=True, home=tmp_path))
    assert (region, credentials.access_key, credentials.secret_key) == (
        "us-east-1",
        "testing",
        "testing",
    )


def test_no_credentials_is_said_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "empty").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(CredentialsMissing):
        user_credentials(real(tmp_path, region="eu-west-1"))
