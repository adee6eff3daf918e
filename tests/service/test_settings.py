import pytest

from zaws.service.settings import ServerSettings


def test_a_zaws_section_or_its_content() -> None:
    settings, warnings = ServerSettings().updated({"zaws": {"profile": "p", "local": True}})
    assert (settings.profile, settings.local, warnings) == ("p", True, [])
    settings, _ = settings.updated({"region": "eu-west-1", "remoteChecks": False})
    assert (settings.profile, settings.region, settings.remote_checks) == ("p", "eu-west-1", False)


def test_wrong_types_are_ignored_with_a_warning() -> None:
    settings, warnings = ServerSettings(region="r").updated({"region": 5, "local": "yes"})
    assert settings == ServerSettings(region="r")
    assert len(warnings) == 2


def test_local_region_and_aws_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZAWS_LOCAL", raising=False)
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    assert ServerSettings().effective_region() == "ap-south-1"
    assert ServerSettings(local=True).effective_region() == "us-east-1"
    aws = ServerSettings(profile="p", endpoint_url="http://x", local=False).aws()
    assert (aws.profile, aws.endpoint_url, aws.local) == ("p", "http://x", False)


def test_zaws_local_environment_decides_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZAWS_LOCAL", "1")
    assert ServerSettings().is_local and ServerSettings().aws().local
    assert not ServerSettings(local=False).aws().local
