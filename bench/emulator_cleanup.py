"""Benchmark (issue 10, item 18): `zaws --local iot-cleanup` of a 10,000-thing emulator project.

add-things makes ~16-20 things/s on the emulator (moto's RSA keys), so the fleet is built another
way, not timed: in this process, moto's IoT backend (patched as the emulator patches it) gets the
project's policy and, per thing, a locally made EC certificate (ACTIVE, as registered by
RegisterCertificateWithoutCA), the thing marked `zaws_project=<project id>` and both attachments;
that state is saved where the emulator restores it from (`zaws.emulator.process.save_state`).
The project comes from `zaws thing-project-from-template`; its records (key, certificate,
thing.conf.json per thing) are written by zaws's own `ThingProject.record_thing`, and `.zawsconf`
carries the `project_id` the things are marked with. The cleanup timed is zaws's real one, as a
child process. Also measured: DeleteCertificate of an unattached certificate in a 10,000-certificate
account, through the emulator (boto3, median of a few), and in this process (no HTTP) each call of
one thing's cleanup on moto's backend as shipped against the emulator's patched one, at the same
size (their attachments are put in moto's tables directly: attaching through moto as shipped is
itself a scan per call).

    python -m bench.emulator_cleanup [--things 10000] [--probes 5] [--skip-moto-baseline]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from bench.emulator import running_emulator
from bench.local_aws import POLICY_DOCUMENT, REGION, iot_client
from bench.zaws_cli import zaws
from tests.support.self_signed import key_pem, self_signed

ACCOUNT = "123456789012"  # moto's default account: the one the emulator answers for
POLICY = "bench-policy"
BASE = "dev"


def local_credentials() -> tuple[str, str]:
    """A private key and its self-signed certificate (EC P-256), as PEM."""
    key, certificate = self_signed("zaws bench device")
    return key_pem(key, serialization.PrivateFormat.TraditionalOpenSSL), certificate


def call_costs(certificates: list[str]) -> dict[str, dict[str, float]]:
    """Milliseconds per IoT call on one thing of a fleet of this size, in this process (no HTTP):
    moto's backend as shipped against the emulator's (`iot_indexes.patch_lookups`). Must run
    before `configure_moto`, which patches moto's class itself."""
    from moto.iot.models import IoTBackend

    from zaws.emulator.iot_indexes import patch_lookups

    class Indexed(IoTBackend):  # type: ignore[misc]
        pass

    patch_lookups(Indexed)
    moto = one_thing_cleanup_ms(IoTBackend(REGION, ACCOUNT), certificates)
    emulator = one_thing_cleanup_ms(Indexed(REGION, ACCOUNT), certificates)
    return {call: {"moto": moto[call], "emulator": emulator[call]} for call in moto}


def one_thing_cleanup_ms(backend: Any, certificates: list[str]) -> dict[str, float]:
    policy = backend.create_policy(POLICY, json.loads(POLICY_DOCUMENT))
    for i, pem in enumerate(certificates):  # moto's own tables, filled directly: attaching
        cert = backend.register_certificate_without_ca(pem, "ACTIVE")  # through moto scans
        thing = backend.create_thing(f"{BASE}_{i}", None, None)
        backend.principal_things[(cert.arn, thing.thing_name)] = (cert, thing)
        backend.principal_policies[(cert.arn, POLICY)] = (cert, policy)
    name = f"{BASE}_{len(certificates) // 2}"
    arn = backend.list_thing_principals(name)[0]  # the first lookups index the emulator's
    backend.list_attached_policies(arn)  # tables
    cert_id = arn.rsplit("/", 1)[1]
    calls: list[tuple[str, tuple[Any, ...]]] = [  # as zaws's cleanup makes them, in order
        ("describe_thing", (name,)),
        ("list_thing_principals", (name,)),
        ("list_attached_policies", (arn,)),
        ("detach_policy", (POLICY, arn)),
        ("detach_thing_principal", (name, arn)),
        ("list_principal_things", (arn,)),
        ("update_certificate", (cert_id, "INACTIVE")),
        ("delete_certificate", (cert_id, False)),
        ("delete_thing", (name,)),
    ]
    costs = {}
    for call, args in calls:
        started = time.perf_counter()
        getattr(backend, call)(*args)
        costs[call] = round(1000 * (time.perf_counter() - started), 3)
    return costs


def save_fleet_state(
    state_file: Path, project_id: str, certificates: list[str], probes: list[str]
) -> list[str]:
    """The emulator's saved state: the policy, the marked things and their certificates."""
    from moto.backends import get_backend

    from zaws.emulator import process
    from zaws.operations.thing_ownership import owner_attributes

    process.configure_moto()
    iot = get_backend("iot")[ACCOUNT][REGION]
    iot.create_policy(POLICY, json.loads(POLICY_DOCUMENT))
    marked = {"attributes": owner_attributes(project_id)}
    arns = []
    for i, pem in enumerate(certificates):
        cert = iot.register_certificate_without_ca(pem, "ACTIVE")
        iot.create_thing(f"{BASE}_{i}", None, marked)
        iot.attach_policy(POLICY, cert.arn)
        iot.attach_thing_principal(f"{BASE}_{i}", cert.arn)
        arns.append(cert.arn)
    probe_ids = [
        iot.register_certificate_without_ca(pem, "INACTIVE").certificate_id for pem in probes
    ]
    state_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    process.save_state(state_file)
    return [*arns, *probe_ids]


def write_records(
    project: Path, project_id: str, keys: list[str], certificates: list[str], arns: list[str]
) -> None:
    from zaws.project import layout
    from zaws.project.atomic_files import write_private, write_text
    from zaws.project.config_files import ZawsConf
    from zaws.project.thing_project import ThingProject

    proj = ThingProject.open(project)
    staging_root = project.parent / "staging"
    for i, (key, pem, arn) in enumerate(zip(keys, certificates, arns, strict=True)):
        staging = staging_root / str(i)
        staging.mkdir(parents=True)
        write_private(staging / layout.PRIVATE_KEY, key)
        write_text(staging / layout.CERTIFICATE, pem)
        proj.record_thing(f"{BASE}_{i}", arn, staging)
    proj.write_zawsconf(ZawsConf(BASE, last_thing_id=len(arns) - 1, project_id=project_id))


def run(things: int, probes: int, moto_baseline: bool) -> dict[str, object]:
    made = [local_credentials() for _ in range(things + probes)]
    keys = [key for key, _ in made[:things]]
    certificates = [pem for _, pem in made[:things]]
    probe_pems = [pem for _, pem in made[things:]]
    costs = call_costs(certificates) if moto_baseline else None
    project_id = uuid.uuid4().hex
    with tempfile.TemporaryDirectory(prefix="zaws-bench-") as work:
        home = Path(work) / "home"
        started = time.perf_counter()
        saved = save_fleet_state(
            home / "emulator" / "state.pickle", project_id, certificates, probe_pems
        )
        arns, probe_ids = saved[:things], saved[things:]
        with running_emulator(home) as url:
            made_project = zaws(
                "--local",
                "thing-project-from-template",
                "bench",
                work,
                "--aws-policy-name",
                POLICY,
                "--aws-endpoint",
                "bench-ats.iot.us-east-1.amazonaws.com",
                home=home,
            )
            project = Path(made_project.result["path"])
            write_records(project, project_id, keys, certificates, arns)
            setup_seconds = time.perf_counter() - started
            iot = iot_client(url)
            assert (
                sum(len(p["things"]) for p in iot.get_paginator("list_things").paginate()) == things
            )
            delete_seconds = []
            for certificate_id in probe_ids:
                at = time.perf_counter()
                iot.delete_certificate(certificateId=certificate_id)
                delete_seconds.append(time.perf_counter() - at)
            cleanup = zaws("--local", "iot-cleanup", str(project), "--yes", home=home)
            left = sum(len(p["things"]) for p in iot.get_paginator("list_things").paginate())
            certificates_left = len(iot.list_certificates()["certificates"])
            records_left = len(list((project / ".aws_things_resources").glob("*/thing.conf.json")))
    rate = things / cleanup.seconds
    return {
        "benchmark": "emulator_cleanup",
        "things": things,
        "setup_seconds": round(setup_seconds, 1),
        "delete_certificate_ms_at_size": round(1000 * statistics.median(delete_seconds), 2),
        "in_process_call_ms_at_size": costs,
        "cleanup_seconds": round(cleanup.seconds, 1),
        "things_per_second": round(rate, 1),
        "things_deleted": len(cleanup.result.get("things_deleted", [])),
        "certificates_deleted": cleanup.result.get("certificates_deleted"),
        "things_left": left,
        "certificates_left": certificates_left,
        "records_left": records_left,
        "nothing_left": left == certificates_left == records_left == 0,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.emulator_cleanup")
    parser.add_argument("--things", type=int, default=10_000)
    parser.add_argument("--probes", type=int, default=5, help="DeleteCertificate calls timed")
    parser.add_argument("--skip-moto-baseline", action="store_true")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.things, max(args.probes, 1), not args.skip_moto_baseline), indent=2))


if __name__ == "__main__":
    main()
