"""add-things --csr-dir: one thing per device CSR, in file-name order; the certificate is for the
CSR's key and no private key exists in the project (device-key.json says where it lives);
set-active-thing, list-things, the diagnostics and cleanup accept such things; bad, weak or
used CSRs are refused before anything is created; a killed run finishes on rerun."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tests.support.cli_process import run_cli
from tests.support.project_invariants import assert_complete, remote_state
from tests.support.unusual_csrs import sha1_signed_csr, unknown_curve_csr
from zaws.aws.settings import AwsSettings
from zaws.checks.local import run_local_checks
from zaws.errors import InvalidInput
from zaws.operations.add_things import add_things
from zaws.operations.certificate_keys import public_key_fingerprint
from zaws.operations.cleanup import cleanup
from zaws.operations.list_things import list_things
from zaws.operations.set_active_thing import set_active_thing


def write_csr(folder: Path, name: str, key: Any, *, der: bool = False) -> Any:
    """A CSR as a secure element gives it (its key stays with the test, the 'device')."""
    folder.mkdir(exist_ok=True)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ATECC508A")])
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    encoding = serialization.Encoding.DER if der else serialization.Encoding.PEM
    (folder / name).write_bytes(csr.public_bytes(encoding))
    return key


def device_csrs(folder: Path) -> dict[str, Any]:
    """Three devices' CSRs, named so that file-name order is not creation order."""
    return {
        "c-device.pem": write_csr(folder, "c-device.pem", ec.generate_private_key(ec.SECP256R1())),
        "a-device.pem": write_csr(
            folder, "a-device.pem", rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ),
        "b-device.der": write_csr(
            folder, "b-device.der", ec.generate_private_key(ec.SECP384R1()), der=True
        ),
    }


def test_each_csr_becomes_a_thing_in_file_name_order_without_a_key_in_the_project(
    project: Path, aws: AwsSettings, boto: Any, policy: str, tmp_path: Path
) -> None:
    keys = device_csrs(tmp_path / "csrs")
    added = add_things(project, aws=aws, base_name="se", csr_dir=tmp_path / "csrs")
    assert added.things == ["se_0", "se_1", "se_2"]
    made_from = {m["thing"]: m["csr_file"] for m in added.csr_files}
    assert made_from == {
        "se_0": "a-device.pem",
        "se_1": "b-device.der",
        "se_2": "c-device.pem",
    }
    assert_complete(project, boto("iot"), added.things, policy)
    assert not list(project.rglob("private.pem.key"))  # nowhere, not even the top level
    for thing, file in made_from.items():
        folder = project / ".aws_things_resources" / thing
        note = json.loads((folder / "device-key.json").read_text())
        assert note == {
            "key": "on-device",
            "csr_file": file,
            "public_key_sha256": public_key_fingerprint(keys[file].public_key()),
        }
        cert = x509.load_pem_x509_certificate((folder / "certificate.pem.crt").read_bytes())
        assert cert.public_key() == keys[file].public_key()

    listing = list_things(project)
    assert [(t.key_on_device, t.missing_files) for t in listing.things] == [(True, [])] * 3
    config = project / "thing.conf.json"
    assert run_local_checks(config.read_text(), config, region="us-east-1").findings == []


def test_set_active_thing_copies_the_certificate_and_removes_a_stale_key(
    project: Path, aws: AwsSettings, tmp_path: Path
) -> None:
    add_things(project, aws=aws, base_name="dev", keys="local")  # dev_0: key in the project
    assert (project / "private.pem.key").exists()
    keys = device_csrs(tmp_path / "csrs")
    add_things(project, aws=aws, base_name="se", csr_dir=tmp_path / "csrs")
    set_active_thing(project, thing_name="se_1")
    assert not (project / "private.pem.key").exists()
    top = x509.load_pem_x509_certificate((project / "certificate.pem.crt").read_bytes())
    assert top.public_key() == keys["b-device.der"].public_key()
    config = project / "thing.conf.json"
    assert run_local_checks(config.read_text(), config, region="us-east-1").findings == []

    # The diagnostics check the certificate against the device's key, and see a stale key.
    other = project / ".aws_things_resources" / "dev_0"
    (project / "certificate.pem.crt").write_bytes((other / "certificate.pem.crt").read_bytes())
    (project / "private.pem.key").write_bytes((other / "private.pem.key").read_bytes())
    codes = {
        f.code for f in run_local_checks(config.read_text(), config, region="us-east-1").findings
    }
    assert {"device-key-mismatch", "private-key-stale"} <= codes
    assert "private-key-missing" not in codes


def test_cleanup_deletes_things_made_from_csrs(
    project: Path, aws: AwsSettings, boto: Any, tmp_path: Path
) -> None:
    device_csrs(tmp_path / "csrs")
    add_things(project, aws=aws, base_name="se", csr_dir=tmp_path / "csrs")
    done = cleanup(project, aws=aws)
    assert done.to_dict()
    assert remote_state(boto("iot")) == (set(), {})
    assert not (project / ".aws_things_resources" / "se_0").exists()


def test_bad_weak_and_used_csrs_are_refused_before_anything_is_made(
    project: Path, aws: AwsSettings, boto: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "csrs"
    write_csr(folder, "good.pem", ec.generate_private_key(ec.SECP256R1()))
    (folder / "notes.txt").write_text("serial numbers: 1, 2, 3\n")
    with pytest.raises(InvalidInput, match=r"notes\.txt is not a certificate signing request"):
        add_things(project, aws=aws, base_name="se", csr_dir=folder)
    (folder / "notes.txt").unlink()

    write_csr(folder, "weak.pem", rsa.generate_private_key(public_exponent=65537, key_size=1024))
    with pytest.raises(InvalidInput, match="RSA of 1024 bits"):
        add_things(project, aws=aws, base_name="se", csr_dir=folder)
    (folder / "weak.pem").unlink()

    write_csr(folder, "k1.pem", ec.generate_private_key(ec.SECP256K1()))
    with pytest.raises(InvalidInput, match="secp256k1"):
        add_things(project, aws=aws, base_name="se", csr_dir=folder)
    (folder / "k1.pem").unlink()

    (folder / "old.der").write_bytes(sha1_signed_csr(ec.generate_private_key(ec.SECP256R1())))
    with pytest.raises(InvalidInput, match=r"old\.der is signed with SHA1: .*SHA-256") as sha1:
        add_things(project, aws=aws, base_name="se", csr_dir=folder)
    assert "SHA-384 or SHA-512" in sha1.value.message and sha1.value.hint
    (folder / "old.der").unlink()

    (folder / "sm2.der").write_bytes(unknown_curve_csr())
    with pytest.raises(InvalidInput, match=r"The key of sm2\.der is of a kind") as sm2:
        add_things(project, aws=aws, base_name="se", csr_dir=folder)
    assert "NIST P-256, P-384 or P-521" in sm2.value.message and sm2.value.hint
    (folder / "sm2.der").unlink()

    (folder / "again.pem").write_bytes((folder / "good.pem").read_bytes())
    with pytest.raises(InvalidInput, match="same key"):
        add_things(project, aws=aws, base_name="se", csr_dir=folder)
    (folder / "again.pem").unlink()

    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInput, match="holds no certificate signing request"):
        add_things(project, aws=aws, base_name="se", csr_dir=tmp_path / "empty")
    assert remote_state(boto("iot")) == (set(), {})  # nothing was created
    assert not (project / ".zaws" / "add-things").exists()

    add_things(project, aws=aws, base_name="se", csr_dir=folder)
    things = remote_state(boto("iot"))
    with pytest.raises(InvalidInput, match=r"good\.pem was used already: its key is .* se_0"):
        add_things(project, aws=aws, base_name="se", csr_dir=folder)
    assert remote_state(boto("iot")) == things
    with pytest.raises(InvalidInput, match="--key-type does not go with --csr-dir"):
        add_things(project, aws=aws, base_name="x", csr_dir=folder, key_type="ec-p256")
    with pytest.raises(InvalidInput, match="--csr-dir and --keys local"):
        add_things(project, aws=aws, base_name="x", csr_dir=folder, keys="local")


KILLS = [
    ("before-call.iot.CreateCertificateFromCsr", 2),
    ("after-call.iot.CreateCertificateFromCsr", 2),  # certificate made, answer lost
    ("before-call.iot.UpdateCertificate", 1),
    ("before-call.iot.AttachThingPrincipal", 1),
    ("after-call.iot.AttachThingPrincipal", 4),  # all remote work done, .zawsconf not yet
]


@pytest.mark.parametrize(("event", "nth"), KILLS, ids=[f"{e}#{n}" for e, n in KILLS])
def test_a_killed_run_from_csrs_finishes_on_rerun(
    project: Path, zaws_home: Path, boto: Any, policy: str, tmp_path: Path, event: str, nth: int
) -> None:
    folder = tmp_path / "csrs"
    for i in range(4):
        write_csr(folder, f"dev{i}.pem", ec.generate_private_key(ec.SECP256R1()))
    args = ("add-things", str(project), "--thing-base-name", "se", "--csr-dir", str(folder))
    killed = run_cli(zaws_home, *args, "--workers", "2", kill=(event, nth))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not list(project.rglob("private.pem.key"))

    other = run_cli(zaws_home, "add-things", str(project), "--thing-base-name", "other")
    assert other.returncode == 1 and f"--csr-dir {folder}" in other.stderr  # the command to run
    rerun = run_cli(zaws_home, "-J", *args)
    assert rerun.returncode == 0, rerun.stderr
    finished = json.loads(rerun.stdout)
    assert finished["certificates_to_review"] == 0  # a lost answer's certificate is provable
    assert_complete(project, boto("iot"), [f"se_{i}" for i in range(4)], policy)


def test_a_thing_whose_key_is_on_its_device_is_not_rotated(
    project: Path, aws: AwsSettings, boto: Any, tmp_path: Path
) -> None:
    """A key made here would replace the secure element's: the device could not connect."""
    from zaws.operations.rotate_certificates import rotate_certificates

    write_csr(tmp_path / "csrs", "device.pem", ec.generate_private_key(ec.SECP256R1()))
    add_things(project, aws=aws, base_name="se", csr_dir=tmp_path / "csrs")
    before = remote_state(boto("iot"))
    with pytest.raises(InvalidInput, match="lives on its device") as refused:
        rotate_certificates(project, ["se_0"], aws=aws)
    assert "--csr-dir" in (refused.value.hint or "")
    assert remote_state(boto("iot")) == before
    assert (project / ".aws_things_resources" / "se_0" / "device-key.json").is_file()


def test_all_things_simulated_leaves_out_those_whose_key_is_on_their_device(
    project: Path, aws: AwsSettings, tmp_path: Path
) -> None:
    from zaws.errors import ProjectError
    from zaws.operations.device_run import pick_things

    write_csr(tmp_path / "csrs", "device.pem", ec.generate_private_key(ec.SECP256R1()))
    add_things(project, aws=aws, base_name="se", csr_dir=tmp_path / "csrs")
    with pytest.raises(ProjectError, match="has its private key on its device"):
        pick_things(project, [], all_things=True)
    add_things(project, aws=aws, base_name="board", count=1, keys="local")
    assert pick_things(project, [], all_things=True) == ["board_0"]
