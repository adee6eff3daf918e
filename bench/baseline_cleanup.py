"""Benchmark baseline (b): cleanup one thing at a time, in the original's order, with boto3.

For each thing: list its principals; for each, detach its policies, detach it from the thing, set
it INACTIVE, delete it; then delete the thing. One call at a time. The things are made first
(bench/fleet.py, not timed); the emulator slows as the account grows, so compare at the same size.

    python -m bench.baseline_cleanup [--endpoint-url URL] [--things 1000]

Prints one JSON object; checks that no thing or certificate is left.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from bench.emulator import emulator_or
from bench.fleet import provision_fleet
from bench.local_aws import iot_client


def clean_one(iot: Any, thing: str) -> None:
    for principal in iot.list_thing_principals(thingName=thing)["principals"]:
        for policy in iot.list_attached_policies(target=principal)["policies"]:
            iot.detach_policy(policyName=policy["policyName"], target=principal)
        iot.detach_thing_principal(thingName=thing, principal=principal)
        certificate_id = principal.rsplit("/", 1)[-1]
        iot.update_certificate(certificateId=certificate_id, newStatus="INACTIVE")
        iot.delete_certificate(certificateId=certificate_id)
    iot.delete_thing(thingName=thing)


def run(endpoint: str, things: int, policy: str, base: str) -> dict[str, object]:
    names = [f"{base}_{i}" for i in range(things)]
    provision_fleet(endpoint, names, policy)
    iot = iot_client(endpoint)
    started = time.perf_counter()
    for name in names:
        clean_one(iot, name)
    seconds = time.perf_counter() - started
    return {
        "benchmark": "baseline_cleanup",
        "things": things,
        "things_left": len(set(names) & set(_all(iot, "list_things", "things", "thingName"))),
        "certificates_left": len(_all(iot, "list_certificates", "certificates", "certificateId")),
        "seconds": round(seconds, 3),
        "things_per_second": round(things / seconds, 3),
    }


def _all(iot: Any, operation: str, key: str, field: str) -> list[str]:
    pages = iot.get_paginator(operation).paginate()
    return [item[field] for page in pages for item in page[key]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline_cleanup")
    parser.add_argument("--endpoint-url", help="emulator URL (default: start one)")
    parser.add_argument("--things", type=int, default=1000)
    parser.add_argument("--policy-name", default="zaws-bench-policy")
    parser.add_argument("--base-name", default="cleanup_baseline")
    args = parser.parse_args(argv)
    with emulator_or(args.endpoint_url) as url:
        print(json.dumps(run(url, args.things, args.policy_name, args.base_name)))


if __name__ == "__main__":
    main()
