"""Topic names, filters and their matching: MQTT's rules with AWS IoT's limits."""

from __future__ import annotations

import pytest

from zaws.emulator.data_plane.topic_matching import (
    SubscriptionTree,
    matches,
    topic_filter_problem,
    topic_name_problem,
)

CASES = [
    ("a/b", "a/b", True),
    ("a/+", "a/b", True),
    ("a/+", "a/b/c", False),
    ("a/#", "a/b/c", True),
    ("a/#", "a/", True),
    ("a/#", "a", True),  # MQTT: '#' also matches the parent level
    ("#", "a/b", True),
    ("#", "$aws/things/t/jobs/notify", False),
    ("+/things/t", "$aws/things/t", False),
    ("$aws/things/+/jobs/#", "$aws/things/t/jobs/notify", True),
    ("a/b", "a/c", False),
    ("+", "", True),
    ("a/+/c", "a//c", True),
]


@pytest.mark.parametrize(("topic_filter", "topic", "expected"), CASES)
def test_matches_and_the_tree_agree(topic_filter: str, topic: str, expected: bool) -> None:
    assert matches(topic_filter, topic) is expected
    tree = SubscriptionTree()
    tree.add("c", topic_filter, 1)
    found = list(tree.subscribers(topic))
    assert found == ([("c", topic_filter, 1)] if expected else [])


def test_the_tree_removes_and_prunes() -> None:
    tree = SubscriptionTree()
    tree.add("c1", "a/+/c", 0)
    tree.add("c2", "a/b/c", 1)
    tree.add("c2", "a/#", 0)
    assert sorted(tree.subscribers("a/b/c")) == [
        ("c1", "a/+/c", 0),
        ("c2", "a/#", 0),
        ("c2", "a/b/c", 1),
    ]
    assert tree.remove("c1", "a/+/c")
    assert not tree.remove("c1", "a/+/c")
    assert not tree.remove("c1", "x/y")
    assert tree.remove("c2", "a/b/c")
    assert tree.remove("c2", "a/#")
    assert tree._root.children == {}


def test_aws_limits_on_topic_names() -> None:
    assert topic_name_problem("a/b") is None
    assert topic_name_problem("/".join("x" * 8)) is None  # 7 slashes
    assert topic_name_problem("/".join("x" * 9)) is not None  # 8 slashes
    assert topic_name_problem("$aws/rules/r/" + "/".join("x" * 8)) is None
    assert topic_name_problem("x" * 256) is None
    assert topic_name_problem("x" * 257) is not None
    assert topic_name_problem("a/+") is not None
    assert topic_name_problem("") is not None


def test_aws_limits_on_topic_filters() -> None:
    assert topic_filter_problem("a/+/#") is None
    assert topic_filter_problem("a/#/b") is not None
    assert topic_filter_problem("a/b#") is not None
    assert topic_filter_problem("a+/b") is not None
    assert topic_filter_problem("/".join("+" * 9)) is not None
    assert topic_filter_problem("") is not None
