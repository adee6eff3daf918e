"""`create-policy`: a least-privilege AWS IoT policy for the project's devices.

A device may connect only with its own thing name as client id (and only while its certificate is
attached to that thing), publish, subscribe and receive only under `<thing name>/...`, and use only
its own jobs topics, which FOTA needs, and its own shadows (classic and named), which the Zerynth
library's shadow support uses (it publishes `.../shadow/update`, subscribes to `.../update/delta`).
`topics` adds application topics outside the thing's name, which every device may then use
(policy_topics: the Zerynth examples publish to `dev/sample`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput
from zaws.operations.policy_topics import application_statements

THING = "${iot:Connection.Thing.ThingName}"
POLICY_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@-_")


def device_policy_document(topics: Sequence[str] = ()) -> dict[str, Any]:
    """The thing's own topics, jobs and shadows; `topics` (topics or filters) for every device."""
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
            *application_statements(topics, topics, sid="ApplicationTopics"),
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


def create_policy(name: str, *, aws: AwsSettings, topics: Sequence[str] = ()) -> PolicyCreated:
    """An existing policy of that name is left untouched, whatever `topics` says."""
    check_policy_name(name)
    document = device_policy_document(topics)  # a bad topic is refused before any call
    from botocore.exceptions import ClientError

    from zaws.aws.clients import AwsClients
    from zaws.aws.errors import aws_errors, error_code

    iot = AwsClients(aws).iot
    with aws_errors(f"creating policy {name}"):
        try:
            made = iot.create_policy(policyName=name, policyDocument=json.dumps(document))
            return PolicyCreated(name=name, arn=made["policyArn"], created=True)
        except ClientError as err:
            if error_code(err) != "ResourceAlreadyExistsException":
                raise
        existing = iot.get_policy(policyName=name)
        return PolicyCreated(name=name, arn=existing["policyArn"], created=False)
