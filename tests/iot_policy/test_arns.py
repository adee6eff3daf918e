"""Resource ARNs the broker checks, built for a region and account."""

from __future__ import annotations

from zaws.iot_policy.arns import CONNECT, PUBLISH, RECEIVE, SUBSCRIBE, IotArns, short_resource


def test_arns_and_requests() -> None:
    arns = IotArns("eu-west-1", "123456789012")
    assert arns.client("dev") == "arn:aws:iot:eu-west-1:123456789012:client/dev"
    assert arns.topic("a/b") == "arn:aws:iot:eu-west-1:123456789012:topic/a/b"
    assert arns.topicfilter("a/+") == "arn:aws:iot:eu-west-1:123456789012:topicfilter/a/+"
    assert arns.connect("dev").action == CONNECT
    assert arns.publish("a").action == PUBLISH
    assert arns.subscribe("a/#").resource.endswith("topicfilter/a/#")
    assert arns.receive("a").action == RECEIVE and SUBSCRIBE == "iot:Subscribe"
    assert arns.retain_publish("a").resource == arns.topic("a")
    assert (
        IotArns("cn-north-1", "1", "aws-cn").client("x") == "arn:aws-cn:iot:cn-north-1:1:client/x"
    )


def test_short_resource_keeps_colons_in_the_resource() -> None:
    assert short_resource("arn:aws:iot:r:1:topic/a:b") == "topic/a:b"
    assert short_resource("topic/x") == "topic/x"
