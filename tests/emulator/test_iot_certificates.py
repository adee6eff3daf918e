"""IoT certificates in the emulator are issued by its root as AWS issues them: from
CreateKeysAndCertificate and CreateCertificateFromCsr (the CSR's own key; weak keys and bad CSRs
refused), ids the SHA-256 of the DER, an older saved state's certificates kept, and the lookup a
TLS client will be found by."""

from __future__ import annotations

import hashlib
import pickle
import subprocess
from pathlib import Path
from typing import Any

import boto3
import botocore.exceptions
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from zaws.emulator import certificate_authority, control
from zaws.emulator.iot_certificates import find_client_certificate

ACCOUNT, REGION = "123456789012", "us-east-1"
SUBJECT = x509.Name(
    [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Zerynth devices"),
        x509.NameAttribute(NameOID.COMMON_NAME, "sensor_0"),
    ]
)


@pytest.fixture
def ca_file(zaws_home: Path, emulator_url: str) -> Path:
    return certificate_authority.ca_file(control.emulator_dir(zaws_home))


def verifies(ca_file: Path, certificate_pem: str, tmp_path: Path) -> bool:
    leaf = tmp_path / "device.pem"
    leaf.write_text(certificate_pem)
    done = subprocess.run(
        ["openssl", "verify", "-CAfile", str(ca_file), "-purpose", "sslclient", str(leaf)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.returncode == 0


def der_id(certificate_pem: str) -> str:
    certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def csr_pem(key: Any, subject: x509.Name = SUBJECT) -> str:
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    request = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, algorithm)
    return request.public_bytes(serialization.Encoding.PEM).decode()


def refusal(iot: Any, csr: str) -> botocore.exceptions.ClientError:
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        iot.create_certificate_from_csr(certificateSigningRequest=csr, setAsActive=True)
    return refused.value


def test_keys_and_certificate_are_issued_by_the_root(
    aws: Any, boto: Any, ca_file: Path, tmp_path: Path
) -> None:
    made = boto("iot").create_keys_and_certificate(setAsActive=True)
    certificate = x509.load_pem_x509_certificate(made["certificatePem"].encode())
    key = serialization.load_pem_private_key(made["keyPair"]["PrivateKey"].encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    assert certificate.public_key() == key.public_key()
    assert certificate.subject.rfc4514_string() == "CN=AWS IoT Certificate"
    assert verifies(ca_file, made["certificatePem"], tmp_path)
    assert made["certificateId"] == der_id(made["certificatePem"])


@pytest.mark.parametrize(
    "key",
    [
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP384R1()),
    ],
    ids=["rsa-2048", "ec-p256", "ec-p384"],
)
def test_a_csr_gets_a_certificate_for_its_own_key_and_subject(
    aws: Any, boto: Any, ca_file: Path, tmp_path: Path, key: Any
) -> None:
    iot = boto("iot")
    made = iot.create_certificate_from_csr(certificateSigningRequest=csr_pem(key))
    certificate = x509.load_pem_x509_certificate(made["certificatePem"].encode())
    assert certificate.public_key() == key.public_key()
    assert certificate.subject == SUBJECT
    assert verifies(ca_file, made["certificatePem"], tmp_path)
    assert made["certificateId"] == der_id(made["certificatePem"])
    described = iot.describe_certificate(certificateId=made["certificateId"])
    assert described["certificateDescription"]["status"] == "INACTIVE"


def test_the_same_csr_twice_gives_two_certificates(aws: Any, boto: Any) -> None:
    csr = csr_pem(ec.generate_private_key(ec.SECP256R1()))
    iot = boto("iot")
    first = iot.create_certificate_from_csr(certificateSigningRequest=csr, setAsActive=True)
    second = iot.create_certificate_from_csr(certificateSigningRequest=csr, setAsActive=True)
    assert first["certificateId"] != second["certificateId"]


def test_a_weak_or_odd_key_is_refused(aws: Any, boto: Any) -> None:
    iot = boto("iot")
    weak = csr_pem(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    assert refusal(iot, weak).response["Error"]["Code"] == "InvalidRequestException"
    assert "1024" in str(refusal(iot, weak))
    for key in (ec.generate_private_key(ec.SECP256K1()), ed25519.Ed25519PrivateKey.generate()):
        assert refusal(iot, csr_pem(key)).response["Error"]["Code"] == "InvalidRequestException"
    assert iot.list_certificates()["certificates"] == []


def test_garbage_and_a_bad_signature_are_refused(aws: Any, boto: Any) -> None:
    iot = boto("iot")
    for garbage in ("not a csr", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"):
        error = refusal(iot, garbage)
        assert error.response["Error"]["Code"] == "InvalidRequestException"
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    key = ec.generate_private_key(ec.SECP256R1())
    request = x509.load_pem_x509_csr(csr_pem(key).encode())
    der = bytearray(request.public_bytes(serialization.Encoding.DER))
    der[-1] ^= 0x01  # the signature's last byte
    tampered = x509.load_der_x509_csr(bytes(der)).public_bytes(serialization.Encoding.PEM).decode()
    error = refusal(iot, tampered)
    assert error.response["Error"]["Code"] == "InvalidRequestException"
    assert "signature" in str(error)
    assert iot.list_certificates()["certificates"] == []


def test_a_certificate_registered_without_a_ca_is_kept_as_given(aws: Any, boto: Any) -> None:
    from tests.emulator.conftest import certificate_pem

    pem = certificate_pem()
    iot = boto("iot")
    registered = iot.register_certificate_without_ca(certificatePem=pem, status="ACTIVE")
    assert registered["certificateId"] == der_id(pem)
    described = iot.describe_certificate(certificateId=registered["certificateId"])
    assert described["certificateDescription"]["certificatePem"] == pem


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A moto IoT backend of this test process, ids as the emulator makes them; moto unpatched."""
    from moto.core.config import default_user_config
    from moto.iot.models import IoTBackend

    monkeypatch.setitem(default_user_config, "iot", {"use_valid_cert": True})
    return IoTBackend(REGION, ACCOUNT)


def der(pem: str) -> bytes:
    certificate = x509.load_pem_x509_certificate(pem.encode())
    return certificate.public_bytes(serialization.Encoding.DER)


def test_the_lookup_finds_registered_issued_and_old_certificates(
    backend: Any, tmp_path: Path
) -> None:
    from moto.iot.models import FakeCertificate

    from tests.emulator.conftest import certificate_pem

    authority = certificate_authority.load_or_create(tmp_path)
    registered = backend.register_certificate_without_ca(certificate_pem(), "ACTIVE")
    old_moto, _ = backend.create_keys_and_certificate(set_as_active=False)
    key = ec.generate_private_key(ec.SECP256R1())
    issued_pem = authority.issue_device_certificate(key.public_key(), SUBJECT)
    issued = FakeCertificate(
        issued_pem.public_bytes(serialization.Encoding.PEM).decode(), "ACTIVE", ACCOUNT, REGION
    )
    backend.certificates[issued.certificate_id] = issued
    for stored in (registered, old_moto, issued):
        found = find_client_certificate(backend, der(stored.certificate_pem), authority)
        assert found is stored
    assert find_client_certificate(backend, der(old_moto.certificate_pem), authority).status == (
        "INACTIVE"
    )
    assert find_client_certificate(backend, der(certificate_pem()), authority) is None


def test_the_lookup_refuses_a_stored_certificate_that_claims_the_root_falsely(
    backend: Any, tmp_path: Path
) -> None:
    from moto.iot.models import FakeCertificate

    authority = certificate_authority.load_or_create(tmp_path / "ours")
    impostor = certificate_authority.load_or_create(tmp_path / "impostor")
    key = ec.generate_private_key(ec.SECP256R1())
    forged = impostor.issue_device_certificate(key.public_key(), SUBJECT)
    assert forged.issuer == authority.certificate.subject  # both roots bear the same name
    stored = FakeCertificate(
        forged.public_bytes(serialization.Encoding.PEM).decode(), "ACTIVE", ACCOUNT, REGION
    )
    backend.certificates[stored.certificate_id] = stored
    assert find_client_certificate(backend, der(stored.certificate_pem), authority) is None
    assert find_client_certificate(backend, der(stored.certificate_pem), impostor) is stored


def test_a_state_saved_before_the_root_still_loads_and_its_certificates_work(
    backend: Any, tmp_path: Path
) -> None:
    import moto
    from moto.core.base_backend import BackendDict
    from moto.iot.models import IoTBackend

    old, _ = backend.create_keys_and_certificate(set_as_active=True)
    saved = BackendDict(IoTBackend, "iot")
    saved[ACCOUNT][REGION] = backend
    home = tmp_path / "home"
    folder = control.emulator_dir(home)
    state = {"moto": moto.__version__, "backends": {"iot": saved}}
    (folder / "state.pickle").write_bytes(pickle.dumps(state))
    assert not certificate_authority.ca_file(folder).exists()
    try:
        iot = boto3.client(
            "iot",
            endpoint_url=control.start(home).url,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        described = iot.describe_certificate(certificateId=old.certificate_id)[
            "certificateDescription"
        ]
        assert described["certificatePem"] == old.certificate_pem
        assert described["status"] == "ACTIVE"
        iot.update_certificate(certificateId=old.certificate_id, newStatus="INACTIVE")
        iot.delete_certificate(certificateId=old.certificate_id)
        made = iot.create_keys_and_certificate(setAsActive=True)
        assert verifies(certificate_authority.ca_file(folder), made["certificatePem"], tmp_path)
    finally:
        control.stop(home)


def test_a_revoked_certificate_stays_revoked(boto: Any) -> None:
    """AWS refuses to change a REVOKED certificate's status; moto let it become ACTIVE again."""
    iot = boto("iot")
    cert_id = iot.create_keys_and_certificate(setAsActive=True)["certificateId"]
    iot.update_certificate(certificateId=cert_id, newStatus="REVOKED")
    for status in ("ACTIVE", "INACTIVE"):
        with pytest.raises(botocore.exceptions.ClientError) as refused:
            iot.update_certificate(certificateId=cert_id, newStatus=status)
        assert refused.value.response["Error"]["Code"] == "CertificateStateException"
    described = iot.describe_certificate(certificateId=cert_id)["certificateDescription"]
    assert described["status"] == "REVOKED"
    iot.delete_certificate(certificateId=cert_id)  # a revoked certificate can be deleted as it is


@pytest.mark.parametrize(("set_as_active", "status"), [(False, "INACTIVE"), (True, "ACTIVE")])
def test_set_as_active_is_honoured_for_a_csr(
    aws: Any, boto: Any, set_as_active: bool, status: str
) -> None:
    """boto3 sends setAsActive=false in the query string; moto took the string as true."""
    iot = boto("iot")
    csr = csr_pem(ec.generate_private_key(ec.SECP256R1()))
    made = iot.create_certificate_from_csr(certificateSigningRequest=csr, setAsActive=set_as_active)
    described = iot.describe_certificate(certificateId=made["certificateId"])
    assert described["certificateDescription"]["status"] == status
