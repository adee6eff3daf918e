"""thing.conf.json against the project on disk: the active thing, its files, git."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.checks.conftest import ENDPOINT, ProjectOnDisk, make_credentials
from zaws.checks.finding import Finding, Severity
from zaws.checks.local import is_project_config, run_local_checks


def check(project: ProjectOnDisk, text: str | None = None) -> tuple[list[Finding], str]:
    text = project.config_path.read_text() if text is None else text
    result = run_local_checks(text, project.config_path, region="us-east-1")
    return result.findings, text


def by_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def covered(text: str, finding: Finding) -> str:
    return text[finding.start : finding.end]


def test_a_consistent_project_has_no_findings(active_project: ProjectOnDisk) -> None:
    assert check(active_project)[0] == []


def test_a_project_without_things_has_no_findings(disk_project: ProjectOnDisk) -> None:
    assert check(disk_project)[0] == []


def test_thingname_that_is_no_thing_of_the_project(active_project: ProjectOnDisk) -> None:
    text = active_project.config_path.read_text().replace('"dev_0"', '"dev_7"', 1)
    findings, _ = check(active_project, text)
    [finding] = by_code(findings, "thing-unknown")
    assert covered(text, finding) == '"dev_7"'


def test_did_you_mean_for_a_misspelt_thing(active_project: ProjectOnDisk) -> None:
    text = active_project.config_path.read_text().replace(
        '"thingname": "dev_0"', '"thingname": "dev0"'
    )
    [finding] = by_code(check(active_project, text)[0], "thing-unknown")
    assert "did you mean 'dev_0'" in finding.message


def test_thingname_disagrees_with_zawsconf(active_project: ProjectOnDisk) -> None:
    config = json.loads(active_project.config_path.read_text())
    config.update(
        thingname="dev_1", mqttid="dev_1", cert_arn=active_project.credentials["dev_1"].arn
    )
    text = json.dumps(config, indent=4)
    findings, _ = check(active_project, text)
    [finding] = by_code(findings, "thingname-mismatch")
    assert covered(text, finding) == '"dev_1"' and "dev_0" in finding.message
    assert by_code(findings, "mqttid-mismatch")
    assert by_code(findings, "cert-arn-mismatch")


def test_mqttid_mismatch_is_reported_once(active_project: ProjectOnDisk) -> None:
    text = active_project.config_path.read_text().replace('"mqttid": "dev_0"', '"mqttid": "dev_1"')
    findings, _ = check(active_project, text)
    assert [f.code for f in findings] == ["mqttid-not-thingname"]


def test_mqttid_wrong_with_thingname_absent(active_project: ProjectOnDisk) -> None:
    config = json.loads(active_project.config_path.read_text())
    del config["thingname"]
    config["mqttid"] = "dev_1"
    text = json.dumps(config)
    findings, _ = check(active_project, text)
    assert {"active-thing-missing", "mqttid-mismatch"} <= {f.code for f in findings}
    [missing] = by_code(findings, "active-thing-missing")
    assert covered(text, missing) == "{"


def test_cert_arn_of_another_thing(active_project: ProjectOnDisk) -> None:
    other = active_project.credentials["dev_1"].arn
    text = active_project.config_path.read_text().replace(
        active_project.credentials["dev_0"].arn, other
    )
    findings, _ = check(active_project, text)
    [finding] = by_code(findings, "cert-arn-mismatch")
    assert covered(text, finding) == json.dumps(other)
    assert by_code(findings, "certificate-mismatch")  # the file is dev_0's, the ARN dev_1's


def test_missing_top_level_certificate_and_key(active_project: ProjectOnDisk) -> None:
    (active_project.root / "certificate.pem.crt").unlink()
    (active_project.root / "private.pem.key").unlink()
    findings, text = check(active_project)
    codes = {f.code for f in findings}
    assert {"certificate-missing", "private-key-missing"} <= codes
    for finding in findings:
        assert covered(text, finding) == json.dumps(active_project.credentials["dev_0"].arn)


def test_certificate_that_cert_arn_does_not_name(active_project: ProjectOnDisk) -> None:
    (active_project.root / "certificate.pem.crt").write_bytes(
        active_project.credentials["dev_1"].certificate
    )
    findings, _ = check(active_project)
    assert {f.code for f in findings} == {"certificate-mismatch", "private-key-mismatch"}


def test_private_key_of_another_certificate(active_project: ProjectOnDisk) -> None:
    (active_project.root / "private.pem.key").write_bytes(make_credentials().private_key)
    [finding] = check(active_project)[0]
    assert finding.code == "private-key-mismatch" and finding.severity is Severity.ERROR


def test_unreadable_certificate_and_key(active_project: ProjectOnDisk) -> None:
    (active_project.root / "certificate.pem.crt").write_text("not a certificate")
    findings, _ = check(active_project)
    assert [f.code for f in findings] == ["certificate-invalid"]
    (active_project.root / "certificate.pem.crt").write_bytes(
        active_project.credentials["dev_0"].certificate
    )
    (active_project.root / "private.pem.key").write_text("-----BEGIN PRIVATE KEY-----\nxx\n")
    findings, _ = check(active_project)
    assert [f.code for f in findings] == ["private-key-invalid"]
    assert "xx" not in findings[0].message


def test_expired_certificate(disk_project: ProjectOnDisk) -> None:
    disk_project.add_thing("dev_0", make_credentials(expired=True))
    disk_project.activate("dev_0")
    [finding] = check(disk_project)[0]
    assert finding.code == "certificate-expired" and finding.severity is Severity.ERROR


def test_certificate_expiring_within_30_days(disk_project: ProjectOnDisk) -> None:
    disk_project.add_thing("dev_0", make_credentials(valid_days=10))
    disk_project.activate("dev_0")
    [finding] = check(disk_project)[0]
    assert finding.code == "certificate-expiring" and finding.severity is Severity.WARNING
    assert "expires in 9 days" in finding.message or "expires in 10 days" in finding.message


def test_thing_of_another_base_name_is_not_checked_against_zawsconf(
    active_project: ProjectOnDisk,
) -> None:
    creds = active_project.add_thing("other_0")
    (active_project.root / "certificate.pem.crt").write_bytes(creds.certificate)
    (active_project.root / "private.pem.key").write_bytes(creds.private_key)
    text = active_project.write_config(
        {
            "endpoint": ENDPOINT,
            "policy_name": "device-policy",
            "thingname": "other_0",
            "mqttid": "other_0",
            "cert_arn": creds.arn,
        }
    )
    assert check(active_project, text)[0] == []


def test_unreadable_zawsconf(active_project: ProjectOnDisk) -> None:
    (active_project.root / ".zawsconf").write_text("{")
    findings, _ = check(active_project)
    assert "zawsconf-invalid" in {f.code for f in findings}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_private_key_not_ignored_in_a_git_repository(active_project: ProjectOnDisk) -> None:
    git(active_project.root, "init", "-q")
    findings, text = check(active_project)
    [finding] = by_code(findings, "private-key-not-ignored")
    assert covered(text, finding) == "{" and finding.severity is Severity.WARNING
    (active_project.root / ".gitignore").write_text("/private.pem.key\n")
    [finding] = by_code(check(active_project)[0], "private-key-not-ignored")
    assert ".aws_things_resources" in finding.message
    (active_project.root / ".gitignore").write_text("*.pem.key\n.aws_things_resources/\n")
    assert by_code(check(active_project)[0], "private-key-not-ignored") == []


def test_a_committed_key_is_not_ignored_even_if_listed(active_project: ProjectOnDisk) -> None:
    git(active_project.root, "init", "-q")
    git(active_project.root, "add", "private.pem.key")
    (active_project.root / ".gitignore").write_text("*.pem.key\n.aws_things_resources/\n")
    assert by_code(check(active_project)[0], "private-key-not-ignored")


def test_only_the_top_level_config_is_a_project_config(active_project: ProjectOnDisk) -> None:
    assert is_project_config(active_project.config_path)
    record = active_project.root / ".aws_things_resources" / "dev_0" / "thing.conf.json"
    assert not is_project_config(record)
    assert not is_project_config(active_project.root / "other.json")


def test_a_revoked_or_deactivated_active_certificate_is_an_error(
    active_project: ProjectOnDisk,
) -> None:
    record_path = active_project.root / ".aws_things_resources" / "dev_0" / "thing.conf.json"
    record = json.loads(record_path.read_text())
    for status, code in (("REVOKED", "certificate-revoked"), ("INACTIVE", "certificate-inactive")):
        record_path.write_text(json.dumps({**record, "certificate_status": status}))
        findings, text = check(active_project)
        [finding] = by_code(findings, code)
        assert finding.severity is Severity.ERROR and covered(text, finding) == '"dev_0"'
        assert f"is {status}: the device cannot connect" in finding.message
    record_path.write_text(json.dumps(record))
    assert check(active_project)[0] == []
