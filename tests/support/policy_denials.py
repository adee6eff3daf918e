"""A thing's policy with one permission taken away, for tests of what a device does without it.

`deny_receiving_jobs_answers`: iot:Receive denied on the thing's Jobs topics, so the Jobs service
still takes its requests but no answer reaches it (the broker checks each delivery): a device
waits for an answer that never comes, as on AWS with such a policy.
"""

from __future__ import annotations

import json
from typing import Any

DEVICE_POLICY = "device-policy"  # the one add-things attaches in tests' projects


def deny_receiving_jobs_answers(iot: Any, thing: str) -> None:
    document = json.loads(iot.get_policy(policyName=DEVICE_POLICY)["policyDocument"])
    document["Statement"].append(
        {
            "Effect": "Deny",
            "Action": "iot:Receive",
            "Resource": f"arn:aws:iot:*:*:topic/$aws/things/{thing}/jobs/*",
        }
    )
    iot.create_policy_version(
        policyName=DEVICE_POLICY, policyDocument=json.dumps(document), setAsDefault=True
    )
