"""Application topics a device policy allows beyond the thing's own, as policy statements.

The device policy (create_policy) lets a device use only topics under its own thing name. Projects
that publish elsewhere (the Zerynth examples publish to `dev/sample`) need more: `create-policy
--topic` adds topics when the policy is made, and the language server's code action adds the ones
main.py uses to an existing policy (policy_versions). A topic is checked as AWS IoT checks one (at
most 256 bytes and 8 levels, `+` a whole level, `#` only last, no reserved `$` topics) and may not
hold `*` or `?`, which a policy would read as its own wildcards. Publishing and receiving are
allowed on the topic names a filter covers (`+` and `#` become the policy wildcard `*`, which is
wider than MQTT's `+`); subscribing on the filter itself, since AWS matches a subscription's filter
against `topicfilter/` resources literally.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zaws.errors import InvalidInput

TOPIC = "arn:aws:iot:*:*:topic"
TOPICFILTER = "arn:aws:iot:*:*:topicfilter"
MAX_TOPIC_BYTES = 256
MAX_LEVELS = 8
TOPIC_HINT = "pass a topic such as dev/sample, or a filter such as dev/# (no $, * or ?)"


def check_topic(topic: str) -> str:
    """The topic (or filter) as given, when a device could use it; InvalidInput otherwise."""
    problem = _topic_problem(topic)
    if problem is not None:
        raise InvalidInput(f"{topic!r} cannot be allowed in a device policy: {problem}", TOPIC_HINT)
    return topic


def _topic_problem(topic: str) -> str | None:
    if not topic.strip():
        return "it is empty"
    if topic.startswith("$"):
        return "topics starting with $ are AWS's reserved topics"
    if len(topic.encode()) > MAX_TOPIC_BYTES:
        return f"AWS IoT allows at most {MAX_TOPIC_BYTES} bytes"
    levels = topic.split("/")
    if len(levels) > MAX_LEVELS:
        return f"AWS IoT allows at most {MAX_LEVELS} levels (7 slashes)"
    if "*" in topic or "?" in topic:
        return "* and ? are wildcards in a policy, so the policy would allow other topics"
    if "\0" in topic:
        return "it holds a NUL character"
    for index, level in enumerate(levels):
        if "#" in level and (level != "#" or index != len(levels) - 1):
            return "# must be a whole level and the last one"
        if "+" in level and level != "+":
            return "+ must be a whole level"
    return None


def topic_resource(topic: str) -> str:
    """The `topic/` resource of every topic name a filter covers (policy wildcards for MQTT's)."""
    levels = ["*" if level in {"+", "#"} else level for level in topic.split("/")]
    return f"{TOPIC}/{'/'.join(levels)}"


def topicfilter_resource(topic_filter: str) -> str:
    return f"{TOPICFILTER}/{topic_filter}"


def application_statements(
    publish: Iterable[str], subscribe: Iterable[str], *, sid: str | None = None
) -> list[dict[str, Any]]:
    """Allow publishing to `publish`, subscribing to `subscribe` and receiving what it covers."""
    published = [check_topic(t) for t in publish]
    subscribed = [check_topic(t) for t in subscribe]
    return permission_statements(
        publish=[topic_resource(t) for t in published],
        receive=[topic_resource(t) for t in subscribed],
        subscribe=[topicfilter_resource(t) for t in subscribed],
        sid=sid,
    )


def permission_statements(
    *,
    publish: Iterable[str] = (),
    receive: Iterable[str] = (),
    subscribe: Iterable[str] = (),
    sid: str | None = None,
) -> list[dict[str, Any]]:
    """One Allow statement per action over the resource ARNs given (none: no statement)."""
    statements: list[dict[str, Any]] = []
    for action, resources in (
        ("iot:Publish", publish),
        ("iot:Receive", receive),
        ("iot:Subscribe", subscribe),
    ):
        unique = sorted(set(resources))
        if unique:
            named = {"Sid": f"{sid}{action[4:]}"} if sid else {}  # letters and digits
            statements.append({**named, "Effect": "Allow", "Action": [action], "Resource": unique})
    return statements
