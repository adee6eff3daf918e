"""MQTT topic names and filters: AWS IoT's limits on them, and which filters a topic matches.

AWS IoT Core takes topics and filters of at most 256 bytes and 7 slashes (8 levels), not counting
the `$aws/rules/<rule>/` prefix of a Basic Ingest topic. Matching is MQTT's: `+` one whole level,
`#` the rest (also the parent level's empty remainder: `a/#` matches `a/` but not `a`), and a
filter that starts with a wildcard never matches a `$` topic. `SubscriptionTree` keeps every
client's filters in a tree of levels, so a PUBLISH costs the depth of the topic, not the number of
subscriptions (a thousand devices each with a subscriber is a thousand subscriptions).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_TOPIC_BYTES = 256
MAX_SLASHES = 7
_RULES_PREFIX = "$aws/rules/"


def _counted_slashes(topic: str) -> int:
    if topic.startswith(_RULES_PREFIX):
        rest = topic[len(_RULES_PREFIX) :]
        _, _, topic = rest.partition("/")
    return topic.count("/")


def topic_name_problem(topic: str) -> str | None:
    """Why AWS IoT refuses this PUBLISH topic, or None."""
    if not topic:
        return "an empty topic"
    if "+" in topic or "#" in topic:
        return "a wildcard in a topic name"
    if "\x00" in topic:
        return "a NUL character in a topic"
    if len(topic.encode()) > MAX_TOPIC_BYTES:
        return f"a topic longer than {MAX_TOPIC_BYTES} bytes"
    if _counted_slashes(topic) > MAX_SLASHES:
        return f"a topic with more than {MAX_SLASHES} slashes"
    return None


def topic_filter_problem(topic_filter: str) -> str | None:
    """Why AWS IoT refuses this SUBSCRIBE filter, or None."""
    if not topic_filter:
        return "an empty topic filter"
    if "\x00" in topic_filter:
        return "a NUL character in a topic filter"
    if len(topic_filter.encode()) > MAX_TOPIC_BYTES:
        return f"a topic filter longer than {MAX_TOPIC_BYTES} bytes"
    if _counted_slashes(topic_filter) > MAX_SLASHES:
        return f"a topic filter with more than {MAX_SLASHES} slashes"
    levels = topic_filter.split("/")
    for index, level in enumerate(levels):
        if "#" in level and (level != "#" or index != len(levels) - 1):
            return "'#' that is not the whole last level"
        if "+" in level and level != "+":
            return "'+' that is not a whole level"
    return None


def matches(topic_filter: str, topic: str) -> bool:
    """Whether a (valid) filter matches a (valid) topic name."""
    if topic.startswith("$") and topic_filter[:1] in ("+", "#"):
        return False
    filter_levels = topic_filter.split("/")
    topic_levels = topic.split("/")
    for index, level in enumerate(filter_levels):
        if level == "#":
            return True
        if index >= len(topic_levels):
            return False
        if level != "+" and level != topic_levels[index]:
            return False
    return len(filter_levels) == len(topic_levels)


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    here: dict[str, int] = field(default_factory=dict)  # client id -> qos, filters ending here


class SubscriptionTree:
    """client id x filter -> QoS; `subscribers(topic)` yields (client id, filter, qos)."""

    def __init__(self) -> None:
        self._root = _Node()

    def add(self, client_id: str, topic_filter: str, qos: int) -> None:
        node = self._root
        for level in topic_filter.split("/"):
            node = node.children.setdefault(level, _Node())
        node.here[client_id] = qos

    def remove(self, client_id: str, topic_filter: str) -> bool:
        path = [self._root]
        for level in topic_filter.split("/"):
            child = path[-1].children.get(level)
            if child is None:
                return False
            path.append(child)
        removed = path[-1].here.pop(client_id, None) is not None
        levels = topic_filter.split("/")
        for depth in range(len(levels), 0, -1):  # prune empty branches
            node = path[depth]
            if node.here or node.children:
                break
            del path[depth - 1].children[levels[depth - 1]]
        return removed

    def subscribers(self, topic: str) -> Iterator[tuple[str, str, int]]:
        levels = topic.split("/")
        reserved = topic.startswith("$")
        yield from self._walk(self._root, levels, 0, [], reserved)

    def _walk(
        self, node: _Node, levels: list[str], depth: int, path: list[str], reserved: bool
    ) -> Iterator[tuple[str, str, int]]:
        wildcards_allowed = not (reserved and depth == 0)
        if wildcards_allowed and (everything := node.children.get("#")) is not None:
            name = "/".join([*path, "#"])
            for client_id, qos in everything.here.items():
                yield client_id, name, qos
        if depth == len(levels):
            name = "/".join(path)
            for client_id, qos in node.here.items():
                yield client_id, name, qos
            return
        level = levels[depth]
        exact = node.children.get(level)
        if exact is not None:
            yield from self._walk(exact, levels, depth + 1, [*path, level], reserved)
        if wildcards_allowed and level != "+" and (one := node.children.get("+")) is not None:
            yield from self._walk(one, levels, depth + 1, [*path, "+"], reserved)
