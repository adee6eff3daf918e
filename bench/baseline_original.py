"""Benchmark baseline (a): provisioning the way the original toolchain did it.

Per thing, four `aws` command-line processes one after another (create-thing,
create-keys-and-certificate --set-as-active, attach-thing-principal, attach-policy), then the
thing's folder under `.aws_things_resources/` (certificate, private key, thing.conf.json). Unlike
the original, exit codes are checked and counted, so a broken setup cannot pass for a fast one.

    python -m bench.baseline_original [--endpoint-url URL] [--things 30]

Without --endpoint-url it starts its own emulator (bench/emulator.py). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.emulator import emulator_or
from bench.local_aws import child_environment, ensure_policy, iot_client

AWS = str(Path(sys.executable).with_name("aws"))


def provision_one(name: str, policy: str, folder: Path, endpoint: str, env: dict[str, str]) -> int:
    """The original's four calls for one thing; returns how many of them failed."""
    folder.mkdir(parents=True)
    cert_file, key_file = folder / "certificate.pem.crt", folder / "private.pem.key"

    def aws(*args: str) -> subprocess.CompletedProcess[str]:
        command = [AWS, "iot", *args, "--endpoint-url", endpoint, "--output", "json"]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    failed = aws("create-thing", "--thing-name", name).returncode != 0
    created = aws(
        "create-keys-and-certificate",
        "--set-as-active",
        "--certificate-pem-outfile",
        str(cert_file),
        "--private-key-outfile",
        str(key_file),
    )
    if created.returncode != 0:
        return failed + 3
    arn = json.loads(created.stdout)["certificateArn"]
    failed += (
        aws("attach-thing-principal", "--thing-name", name, "--principal", arn).returncode != 0
    )
    failed += aws("attach-policy", "--policy-name", policy, "--target", arn).returncode != 0
    record = {"mqttid": name, "thingname": name, "cert_arn": arn}
    (folder / "thing.conf.json").write_text(json.dumps(record, indent=4))
    return int(failed)


def run(endpoint: str, things: int, project: Path, policy: str, base: str) -> dict[str, object]:
    ensure_policy(iot_client(endpoint), policy)
    env = child_environment()
    resources = project / ".aws_things_resources"
    started = time.perf_counter()
    failed = sum(
        provision_one(f"{base}_{i}", policy, resources / f"{base}_{i}", endpoint, env)
        for i in range(things)
    )
    seconds = time.perf_counter() - started
    return {
        "benchmark": "baseline_original",
        "things": things,
        "aws_processes": 4 * things,
        "failed_calls": failed,
        "seconds": round(seconds, 3),
        "things_per_second": round(things / seconds, 3),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline_original")
    parser.add_argument("--endpoint-url", help="emulator URL (default: start one)")
    parser.add_argument("--things", type=int, default=30)
    parser.add_argument("--policy-name", default="zaws-bench-policy")
    parser.add_argument("--base-name", default="baseline")
    args = parser.parse_args(argv)
    with emulator_or(args.endpoint_url) as url, tempfile.TemporaryDirectory() as work:
        result = run(url, args.things, Path(work), args.policy_name, args.base_name)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
