"""zaws/createPolicy's topics param: the same topics as `create-policy --topic`, checked alike."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput
from zaws.service.methods import CallContext, call
from zaws.service.uris import InvalidParams


def test_topics_reach_the_policy(aws: AwsSettings, boto: Any) -> None:
    made = call("zaws/createPolicy", {"name": "fleet", "topics": ["dev/sample"]}, CallContext(aws))
    assert made["created"] is True
    document = json.loads(boto("iot").get_policy(policyName="fleet")["policyDocument"])
    subscribe = next(s for s in document["Statement"] if s.get("Sid", "").endswith("Subscribe"))
    assert subscribe["Resource"] == ["arn:aws:iot:*:*:topicfilter/dev/sample"]


@pytest.mark.parametrize(
    ("topics", "error"),
    [("dev/sample", InvalidParams), ([""], InvalidParams), (["dev/*"], InvalidInput)],
)
def test_bad_topics_are_refused(aws: AwsSettings, topics: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        call("zaws/createPolicy", {"name": "fleet", "topics": topics}, CallContext(aws))
