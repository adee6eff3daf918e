"""Resource patterns specialised per connection match exactly what the general expression does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zaws.iot_policy.compiled import compile_policy
from zaws.iot_policy.matcher import arn_regex, bind_resources, request_head, split_head
from zaws.iot_policy.wildcard import compiled, parse_pattern
from zaws.operations.create_policy import device_policy_document

HEAD = "arn:aws:iot:eu-west-1:123:"


def values(name: str) -> str | None:
    return {"iot:ClientId": "dev"}.get(name)


def generic(pattern: str, resource: str) -> bool:
    regex = compiled(arn_regex(parse_pattern(pattern, variables=True), values))
    return regex.fullmatch(resource) is not None


def specialised(pattern: str, resource: str) -> bool:
    matcher = bind_resources((parse_pattern(pattern, variables=True),), values, HEAD)
    return matcher.matches(resource)


SEGMENT = st.text(alphabet="aeu-1*?", max_size=4)
TAIL = st.text(alphabet="ab/+#*?", max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.lists(SEGMENT, min_size=3, max_size=3), TAIL, st.text(alphabet="ab/+#", max_size=6))
def test_specialised_equals_generic_for_colon_free_topics(
    segments: list[str], tail: str, topic: str
) -> None:
    pattern = f"arn:aws:{segments[0]}:{segments[1]}:{segments[2]}:{tail}"
    for resource in (HEAD + topic, f"{HEAD}topic/{topic}", HEAD + "dev/" + topic):
        assert specialised(pattern, resource) == generic(pattern, resource), (pattern, resource)


def test_segment_rules() -> None:
    assert generic("arn:aws:iot:*:*:topic/x", HEAD + "topic/x")
    assert generic("arn:aws:iot:eu-*-1:*:topic/x", HEAD + "topic/x")
    assert not generic("arn:aws:iot:e*1:123:topic/x", "arn:aws:iot:e:u-1:123:topic/x")
    assert generic("arn:aws:iot:e*:123:topic/x", "arn:aws:iot:e:u:123:topic/x")  # ends a segment
    assert not generic("arn:aws:iot:eu-west-?:123:topic/x", "arn:aws:iot:eu-west-::123:topic/x")
    assert generic("arn:aws:iot:*", HEAD + "client/c")
    assert generic("*", "anything:at/all")
    assert generic("arn:aws:iot:*:*:topic/${iot:ClientId}/*", HEAD + "topic/dev/a:b")
    # IAM lets a segment-ending * extend past colons: a topic "a:topic/c" matches topic/c
    assert generic("arn:aws:iot:*:*:topic/c", HEAD + "topic/a:topic/c")


def test_heads() -> None:
    assert request_head(HEAD + "topic/a:b") == HEAD
    assert request_head("topic/x") is None
    assert request_head("xrn:aws:iot:r:a:topic/x") is None
    split = split_head(parse_pattern("arn:aws:iot:*:*:topic/*", variables=False))
    assert split is not None
    assert split[1][0] == "topic/" and split[0][-1] == ":"
    assert split_head(parse_pattern("arn:aws:iot:*", variables=False)) is None


def test_create_policy_binds_without_regular_expressions() -> None:
    policy = compile_policy("zerynth-devices", device_policy_document())
    for statement in policy.statements:
        matcher = bind_resources(statement.resources, lambda _: "sensor_1", HEAD)
        assert matcher.regex is None
        assert matcher.exact or matcher.prefixes
