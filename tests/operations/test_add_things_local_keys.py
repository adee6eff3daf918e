"""add-things --keys local: each key made here, on disk before its CSR goes out, never sent; the
certificate AWS issues is for that key; a lost answer's certificate is provably the project's."""

from __future__ import annotations

import json
import signal
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.support.cli_process import run_cli
from tests.support.fault_proxy import FaultProxy
from tests.support.project_invariants import assert_complete, local_records, remote_state
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput
from zaws.operations.add_things import add_things


def key_and_certificate(project: Path, thing: str) -> tuple[Any, x509.Certificate]:
    folder = project / ".aws_things_resources" / thing
    key = serialization.load_pem_private_key((folder / "private.pem.key").read_bytes(), None)
    cert = x509.load_pem_x509_certificate((folder / "certificate.pem.crt").read_bytes())
    return key, cert


@pytest.mark.parametrize(
    ("key_type", "kind", "size"),
    [
        ("ec-p256", ec.EllipticCurvePrivateKey, 256),
        ("ec-p384", ec.EllipticCurvePrivateKey, 384),
        ("rsa-2048", rsa.RSAPrivateKey, 2048),
    ],
)
def test_keys_made_here_get_certificates_for_their_own_key(
    project: Path, aws: AwsSettings, boto: Any, policy: str, key_type: str, kind: type, size: int
) -> None:
    added = add_things(project, aws=aws, base_name="dev", count=2, keys="local", key_type=key_type)
    assert_complete(project, boto("iot"), added.things, policy)
    for thing in added.things:
        key, cert = key_and_certificate(project, thing)
        assert isinstance(key, kind) and key.key_size == size
        assert key.public_key() == cert.public_key()
        assert cert.subject.rfc4514_string() == f"CN={thing}"


def test_aws_makes_rsa_keys_only(project: Path, aws: AwsSettings, boto: Any) -> None:
    with pytest.raises(InvalidInput, match="RSA-2048 keys only"):
        add_things(project, aws=aws, base_name="dev", keys="aws", key_type="ec-p256")
    with pytest.raises(InvalidInput, match="Unknown key source"):
        add_things(project, aws=aws, base_name="dev", keys="tpm")
    assert remote_state(boto("iot")) == (set(), {})


def test_a_lost_answer_leaves_a_certificate_deleted_as_provably_ours(
    project: Path, aws: AwsSettings, emulator_url: str, boto: Any, policy: str
) -> None:
    """CreateCertificateFromCsr made the certificate, the answer never came: its public key is a
    key made here, so zaws deletes it without asking (nobody else can hold that key)."""
    outsider = boto("iot").create_keys_and_certificate(setAsActive=False)["certificateId"]
    with FaultProxy(
        emulator_url, drop_after_rate=0.5, operations=["CreateCertificateFromCsr"], seed=3
    ) as proxy:
        added = add_things(
            project, aws=replace(aws, endpoint_url=proxy.url), base_name="d", count=8, keys="local"
        )
        lost = proxy.count("CreateCertificateFromCsr", "dropped_after")
    assert lost > 0 and added.orphan_certificates_deleted >= lost  # a retry may be lost too
    assert added.certificates_to_review <= 1  # at most the colleague's, made seconds before
    _, certificates = remote_state(boto("iot"))
    recorded = {r["cert_arn"].rsplit("/", 1)[1] for r in local_records(project).values()}
    assert set(certificates) == recorded | {outsider}  # the colleague's is untouched


KILLS = [
    ("before-call.iot.CreateCertificateFromCsr", 2),  # key on disk, no certificate yet
    ("after-call.iot.CreateCertificateFromCsr", 2),  # certificate made, answer lost
    ("before-call.iot.AttachThingPrincipal", 1),
]


@pytest.mark.parametrize(("event", "nth"), KILLS, ids=[f"{e}#{n}" for e, n in KILLS])
def test_a_killed_run_with_local_keys_finishes_on_rerun(
    project: Path, zaws_home: Path, boto: Any, policy: str, event: str, nth: int
) -> None:
    args = (
        "add-things",
        str(project),
        "--thing-base-name",
        "dev",
        "--things-number",
        "4",
        "--keys",
        "local",
        "--workers",
        "2",
    )
    killed = run_cli(zaws_home, *args, kill=(event, nth))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    staged = list((project / ".zaws" / "add-things" / "staging").glob("*/private.pem.key"))
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in staged)

    rerun = run_cli(zaws_home, "-J", *args)
    assert rerun.returncode == 0, rerun.stderr
    finished = json.loads(rerun.stdout)
    assert finished["certificates_to_review"] == 0  # local keys: every stray is provable
    assert_complete(project, boto("iot"), [f"dev_{i}" for i in range(4)], policy)
