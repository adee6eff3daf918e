"""The MQTT benchmarks' fleet: things with certificates the emulator issued, made fast; and /proc.

moto's CreateKeysAndCertificate makes an RSA key per call (~70 ms of CPU here), so each device's
key is an EC P-256 key made in this process and its certificate comes from
`create_certificate_from_csr` (the emulator issues it from its own root CA for the CSR's key, as
AWS does). Then, through boto3 on a few threads: the thing, the certificate attached to it, and
the device policy that `zaws create-policy` writes (`device_policy_document`) attached to the
certificate. Each device's key and certificate are written as PEM files for its TLS context.

`cpu_seconds(pid)` and `memory_mb(pid)` read a process's CPU time and VmRSS/VmHWM from /proc.
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bench.local_aws import iot_client
from zaws.operations.create_policy import device_policy_document

POLICY = "zerynth-devices"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Device:
    name: str  # thing name, also the MQTT client id the policy requires
    arn: str  # the thing's ARN (a job target)
    key_file: str
    cert_file: str

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "arn": self.arn,
            "key_file": self.key_file,
            "cert_file": self.cert_file,
        }


def key_and_csr(name: str) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, csr.public_bytes(serialization.Encoding.PEM).decode()


def provision(url: str, folder: Path, count: int, workers: int = 8) -> tuple[list[Device], dict]:
    """`count` devices `bench_0000`... on the emulator at `url`; returns them and timings."""
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    names = [f"bench_{i:04d}" for i in range(count)]
    keys = [key_and_csr(name) for name in names]
    keys_seconds = time.perf_counter() - started
    iot = iot_client(url, workers=workers)
    iot.create_policy(policyName=POLICY, policyDocument=json.dumps(device_policy_document()))

    def make(index: int) -> Device:
        name = names[index]
        key_pem, csr_pem = keys[index]
        thing = iot.create_thing(thingName=name)
        cert = iot.create_certificate_from_csr(certificateSigningRequest=csr_pem, setAsActive=True)
        iot.attach_policy(policyName=POLICY, target=cert["certificateArn"])
        iot.attach_thing_principal(thingName=name, principal=cert["certificateArn"])
        key_file, cert_file = folder / f"{name}.key", folder / f"{name}.pem"
        key_file.write_text(key_pem)
        cert_file.write_text(cert["certificatePem"])
        return Device(name, thing["thingArn"], str(key_file), str(cert_file))

    with ThreadPoolExecutor(workers) as pool:
        devices = list(pool.map(make, range(count)))
    seconds = time.perf_counter() - started
    return devices, {
        "devices": count,
        "seconds": round(seconds, 1),
        "local_keys_and_csrs_seconds": round(keys_seconds, 1),
        "calls": 4 * count + 1,
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def runqueue_wait_seconds(pid: int) -> float:
    """Time the process's threads spent runnable but waiting for a CPU (schedstat), in seconds."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue  # a thread that ended meanwhile
    return total / 1e9


def cpu_pressure_seconds() -> float:
    """The machine's CPU pressure (PSI "some"): time any task waited for a CPU, in seconds."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return float("nan")
    return int(first.rsplit("total=", 1)[1]) / 1e6


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (the peak) of a live process, in MB."""
    found: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = round(int(value.split()[0]) / 1024, 1)
    return found


class CpuMeter:
    """CPU seconds used by some processes between `start` and `stop`, as cores busy, and how long
    each waited for a CPU it could not get (`runqueue_wait_fraction`: of the wall time, summed over
    its threads); `machine_cpu_pressure`: the fraction of the time some task on the machine was
    waiting for a CPU (0 on a machine with a core to spare)."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self._cpu: dict[str, float] = {}
        self._wait: dict[str, float] = {}
        self._pressure = 0.0
        self._at = 0.0

    def start(self) -> None:
        self._at = time.perf_counter()
        self._cpu = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self._wait = {name: runqueue_wait_seconds(pid) for name, pid in self.pids.items()}
        self._pressure = cpu_pressure_seconds()

    def stop(self) -> dict[str, Any]:
        elapsed = time.perf_counter() - self._at
        used = {name: cpu_seconds(pid) - self._cpu[name] for name, pid in self.pids.items()}
        waited = {
            name: runqueue_wait_seconds(pid) - self._wait[name] for name, pid in self.pids.items()
        }
        return {
            "runqueue_wait_fraction": {
                name: round(value / elapsed, 2) for name, value in waited.items()
            },
            "machine_cpu_pressure": round((cpu_pressure_seconds() - self._pressure) / elapsed, 2),
            "wall_seconds": round(elapsed, 2),
            "cpu_seconds": {name: round(value, 2) for name, value in used.items()},
            "cores_busy": {name: round(value / elapsed, 2) for name, value in used.items()},
        }
