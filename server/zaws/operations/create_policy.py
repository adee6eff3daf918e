"""`create-policy`: a least-privilege AWS IoT policy for the project's devices.

A device may connect only with its own thing name as client id (and only while its certificate is
attached to that thing), publish, subscribe and receive only under `<thing name>/...`, and use only
its own jobs topics, which FOTA needs, and its own shadows (classic and named), which the Zerynth
library's shadow support uses (it publishes `.../shadow/update`, subscribes to `.../update/delta`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput

THING = "${iot:Connection.Thing.ThingName}"
POLICY_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@-_")


def device_policy_document() -> dict[str, Any]:
    topic = "arn:aws:iot:*:*:topic"
    topicfilter = "arn:aws:iot:*:*:topicfilter"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "iot:Connect",
                "Resource": f"arn:aws:iot:*:*:client/{THING}",
                "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}},
            },
            {
                "Effect": "Allow",
                "Action": ["iot:Publish", "iot:Receive"],
                "Resource": [
                    f"{topic}/{THING}/*",
                    f"{topic}/$aws/things/{THING}/jobs/*",
                    f"{topic}/$aws/things/{THING}/shadow/*",
                ],
            },
            {
                "Effect": "Allow",
                "Action": "iot:Subscribe",
                "Resource": [
                    f"{topicfilter}/{THING}/*",
                    f"{topicfilter}/$aws/things/{THING}/jobs/*",
                    f"{topicfilter}/$aws/things/{THING}/shadow/*",
                ],
            },
        ],
    }


@dataclass(frozen=True)
class PolicyCreated:
    name: str
    arn: str
    created: bool  # False when a policy of that name already existed (left untouched)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def check_policy_name(name: str) -> None:
    if not name or len(name) > 128 or not set(name) <= POLICY_NAME_CHARS:
        raise InvalidInput(
            f"{name!r} is not a valid AWS IoT policy name",
            "use 1-128 letters, digits and + = , . @ - _",
        )


def create_policy(name: str, *, aws: AwsSettings) -> PolicyCreated:
    check_policy_name(name)
    from botocore.exceptions import ClientError

    from zaws.aws.clients import AwsClients
    from zaws.aws.errors import aws_errors, error_code

    iot = AwsClients(aws).iot
    with aws_errors(f"creating policy {name}"):
        try:
            made = iot.create_policy(
                policyName=name, policyDocument=json.dumps(device_policy_document())
            )
            return PolicyCreated(name=name, arn=made["policyArn"], created=True)
        except ClientError as err:
            if error_code(err) != "ResourceAlreadyExistsException":
                raise
        existing = iot.get_policy(policyName=name)
        return PolicyCreated(name=name, arn=existing["policyArn"], created=False)
