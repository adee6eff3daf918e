"""The emulator's own ceiling: the original's four calls per thing on 16 threads, no files, no zaws.

What add-things is measured against: whatever zaws adds (journal, keys on disk, activation) shows
as the gap between this figure and bench.add_things'.

    .venv/bin/python -m bench.emulator_ceiling [THINGS]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
from botocore.config import Config

from zaws.emulator import control


def main() -> None:
    things = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    home = Path(tempfile.mkdtemp(prefix="zaws-ceiling-"))
    url = control.start(home).url
    iot = boto3.client(
        "iot",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(max_pool_connections=20, retries={"mode": "standard", "max_attempts": 10}),
    )
    try:
        iot.create_policy(policyName="p", policyDocument="{}")

        def provision(index: int) -> None:
            name = f"t_{index}"
            iot.create_thing(thingName=name)
            made = iot.create_keys_and_certificate(setAsActive=True)
            iot.attach_policy(policyName="p", target=made["certificateArn"])
            iot.attach_thing_principal(thingName=name, principal=made["certificateArn"])

        started = time.perf_counter()
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(provision, range(things)))
        seconds = time.perf_counter() - started
    finally:
        control.stop(home)
    result = {
        "benchmark": "emulator_ceiling",
        "things": things,
        "seconds": round(seconds, 3),
        "things_per_second": round(things / seconds, 2),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
