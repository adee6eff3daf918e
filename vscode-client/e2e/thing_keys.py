"""The e2e's device CSRs and its checks of the keys Add Things leaves in a thing's folder.

    csrs FOLDER COUNT
        COUNT certificate signing requests (PEM, EC P-256), device-0.csr ..., as devices with a
        secure element hand them out: each key is thrown away here, as it never leaves the chip.
    made-here THING_FOLDER CURVE
        The folder's private.pem.key is an EC key on CURVE (e.g. secp256r1), and its
        certificate.pem.crt is for that key. Prints the key's type and curve.
    on-device THING_FOLDER CSR_FILE
        The folder has no private.pem.key; its device-key.json names CSR_FILE's name and key, and
        its certificate.pem.crt is for the CSR's key.

A failed check exits 1 with what was found.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from zaws.operations.certificate_keys import public_key_fingerprint
from zaws.project import layout


def csrs(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"zaws e2e device {index}")])
        csr = (
            x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
        )
        (folder / f"device-{index}.csr").write_bytes(csr.public_bytes(serialization.Encoding.PEM))


def _certificate_key(folder: Path) -> str:
    cert = x509.load_pem_x509_certificate((folder / layout.CERTIFICATE).read_bytes())
    return public_key_fingerprint(cert.public_key())


def made_here(folder: Path, curve: str) -> str:
    key = serialization.load_pem_private_key((folder / layout.PRIVATE_KEY).read_bytes(), None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != curve:
        raise SystemExit(f"{folder.name}: the key is {type(key).__name__}, not EC on {curve}")
    if _certificate_key(folder) != public_key_fingerprint(key.public_key()):
        raise SystemExit(f"{folder.name}: the certificate is not for the key in the folder")
    return f"{folder.name}: EC {key.curve.name}, certificate for it"


def on_device(folder: Path, csr_file: Path) -> str:
    if (folder / layout.PRIVATE_KEY).exists():
        raise SystemExit(f"{folder.name}: a {layout.PRIVATE_KEY} exists")
    note = json.loads((folder / layout.DEVICE_KEY).read_text())
    key = public_key_fingerprint(x509.load_pem_x509_csr(csr_file.read_bytes()).public_key())
    wanted = {"key": "on-device", "csr_file": csr_file.name, "public_key_sha256": key}
    if note != wanted:
        raise SystemExit(f"{folder.name}: {layout.DEVICE_KEY} is {note}, not {wanted}")
    if _certificate_key(folder) != key:
        raise SystemExit(f"{folder.name}: the certificate is not for {csr_file.name}'s key")
    return f"{folder.name}: key on the device ({csr_file.name}), certificate for it"


def main(argv: list[str]) -> int:
    match argv:
        case ["csrs", folder, count]:
            csrs(Path(folder), int(count))
        case ["made-here", folder, curve]:
            print(made_here(Path(folder), curve))
        case ["on-device", folder, csr_file]:
            print(on_device(Path(folder), Path(csr_file)))
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
