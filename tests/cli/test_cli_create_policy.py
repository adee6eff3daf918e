"""`zaws create-policy --topic`: application topics beside the thing's own; bad ones refused."""

from __future__ import annotations

import json
from typing import Any


def test_topics_given_are_in_the_policy(run_zaws: Any, aws: Any, boto: Any) -> None:
    result = run_zaws("create-policy", "fleet", "--topic", "dev/sample", "--topic", "sensors")
    assert result.returncode == 0, result.stderr
    document = json.loads(boto("iot").get_policy(policyName="fleet")["policyDocument"])
    published = next(s for s in document["Statement"] if s.get("Sid") == "ApplicationTopicsPublish")
    assert published["Resource"] == [
        "arn:aws:iot:*:*:topic/dev/sample",
        "arn:aws:iot:*:*:topic/sensors",
    ]


def test_a_reserved_topic_is_refused_with_what_to_pass(run_zaws: Any, aws: Any, boto: Any) -> None:
    result = run_zaws("create-policy", "fleet", "--topic", "$aws/things/x/shadow/update")
    assert result.returncode != 0
    assert "reserved" in result.stderr and "dev/sample" in result.stderr
    assert boto("iot").list_policies()["policies"] == []
