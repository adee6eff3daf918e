"""`add-things --csr-dir DIR`: certificate signing requests made on the devices, one thing each.

A secure element (Zerynth's ATECC508A example) makes its key inside the chip and hands out only
a CSR: the private key never exists anywhere else. Every file of the folder (hidden ones left
out) must be such a CSR, PEM or DER, whose signature verifies, signed with SHA-256, SHA-384 or
SHA-512, and whose key AWS IoT certifies (RSA of at least 2048 bits, or EC on NIST P-256, P-384
or P-521); any other (SHA-1, an unknown curve or key type) is refused naming the file and what
AWS IoT accepts. The files become things in file-name order. A CSR whose key is already a
thing's key in the project, or two files with the same key, are refused: all of it before
anything is created. The key's fingerprint (SHA-256 of its SubjectPublicKeyInfo,
`certificate_keys.public_key_fingerprint`) identifies it from then on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from zaws.errors import InvalidInput, local_file_error
from zaws.operations.certificate_keys import public_key_fingerprint
from zaws.project.thing_project import ThingProject

MIN_RSA_BITS = 2048
CURVES = ("secp256r1", "secp384r1", "secp521r1")
SIGNATURE_HASHES = ("SHA256", "SHA384", "SHA512")  # SHA256WITHRSA ... ECDSA-WITH-SHA512
MAX_CSR_BYTES = 64 * 1024


@dataclass(frozen=True)
class DeviceCsr:
    file: str  # the file's name in the folder
    pem: str
    fingerprint: str


def read_csr_dir(folder: Path) -> list[DeviceCsr]:
    """The folder's CSRs in file-name order; InvalidInput naming the first file that is not one."""
    try:
        if not folder.is_dir():
            raise InvalidInput(
                f"{folder} is not a folder",
                "pass --csr-dir a folder holding one certificate signing request per device",
            )
        files = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.is_file())
        csrs = [read_csr(path) for path in files]
    except OSError as err:
        raise local_file_error(err) from None
    if not csrs:
        raise InvalidInput(
            f"{folder} holds no certificate signing request",
            "put one CSR file per device in it (PEM or DER), e.g. from the secure element",
        )
    seen: dict[str, str] = {}
    for csr in csrs:
        if csr.fingerprint in seen:
            raise InvalidInput(
                f"{csr.file} and {seen[csr.fingerprint]} are requests for the same key",
                "one device, one key: remove one of them",
            )
        seen[csr.fingerprint] = csr.file
    return csrs


def read_csr(path: Path) -> DeviceCsr:
    data = path.read_bytes()[: MAX_CSR_BYTES + 1]
    what = "PEM or DER certificate signing request (e.g. the secure element's)"
    if len(data) > MAX_CSR_BYTES:
        raise InvalidInput(f"{path.name} is too large to be a certificate signing request", what)
    try:
        csr = (
            x509.load_pem_x509_csr(data)
            if data.lstrip().startswith(b"-----")
            else x509.load_der_x509_csr(data)
        )
    except (ValueError, TypeError) as err:
        raise InvalidInput(
            f"{path.name} is not a certificate signing request ({err})",
            f"remove it from the folder, or replace it with a {what}",
        ) from None
    try:
        public_key = csr.public_key()
    except UnsupportedAlgorithm as err:  # e.g. an EC key on a curve OpenSSL does not know
        raise InvalidInput(
            f"The key of {path.name} is of a kind AWS IoT does not certify ({err}): it certifies "
            f"RSA keys of at least {MIN_RSA_BITS} bits and EC keys on NIST P-256, P-384 or P-521",
            "make the device's key EC P-256 or RSA-2048",
        ) from None
    _check_strength(path.name, public_key)
    _check_signature_hash(path.name, csr)
    try:
        signed = csr.is_signature_valid
    except UnsupportedAlgorithm:
        signed = False
    if not signed:
        raise InvalidInput(
            f"The signature of {path.name} does not verify: it was not made with its own key",
            "make the request again on the device",
        )
    pem = csr.public_bytes(serialization.Encoding.PEM).decode()
    return DeviceCsr(path.name, pem, public_key_fingerprint(public_key))


def _check_signature_hash(name: str, csr: x509.CertificateSigningRequest) -> None:
    try:
        algorithm = csr.signature_hash_algorithm
        hash_name = algorithm.name.upper() if algorithm is not None else "no hash"
    except UnsupportedAlgorithm:  # a signature algorithm cryptography does not know (MD2, ...)
        hash_name = f"the signature algorithm {csr.signature_algorithm_oid.dotted_string}"
    if hash_name not in SIGNATURE_HASHES:
        raise InvalidInput(
            f"{name} is signed with {hash_name}: AWS IoT accepts certificate signing requests "
            "signed with SHA-256, SHA-384 or SHA-512",
            "make the request again on the device, signed with SHA-256",
        )


def _check_strength(name: str, public_key: object) -> None:
    if isinstance(public_key, rsa.RSAPublicKey):
        if public_key.key_size < MIN_RSA_BITS:
            raise InvalidInput(
                f"The key of {name} is RSA of {public_key.key_size} bits: AWS IoT certifies "
                f"RSA keys of at least {MIN_RSA_BITS} bits",
                "make the device's key RSA-2048 or larger, or EC P-256",
            )
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        if public_key.curve.name not in CURVES:
            raise InvalidInput(
                f"The key of {name} is EC on {public_key.curve.name}: AWS IoT certifies EC keys "
                "on NIST P-256, P-384 or P-521 only",
                "make the device's key on P-256 (the ATECC508A's curve)",
            )
    else:
        raise InvalidInput(
            f"The key of {name} is neither RSA nor EC: AWS IoT certifies only those",
            "make the device's key EC P-256 or RSA-2048",
        )


def refuse_used_csrs(project: ThingProject, csrs: list[DeviceCsr]) -> None:
    """Refuse a CSR whose key is already a thing's key in the project: two things, one key."""
    used = project_key_fingerprints(project)
    for csr in csrs:
        if csr.fingerprint in used:
            raise InvalidInput(
                f"{csr.file} was used already: its key is the key of {used[csr.fingerprint]}",
                "remove it from the folder (each device's request makes one thing)",
            )


def project_key_fingerprints(project: ThingProject) -> dict[str, str]:
    """{public key fingerprint: thing} for every thing's certificate in the project."""
    found: dict[str, str] = {}
    for record in project.things():
        try:
            cert = x509.load_pem_x509_certificate(record.certificate_path.read_bytes())
        except (OSError, ValueError):
            continue  # a missing or broken certificate is the diagnostics' to report
        found[public_key_fingerprint(cert.public_key())] = record.name
    return found
