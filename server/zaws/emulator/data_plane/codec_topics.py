"""Which strings are MQTT topic names (what a PUBLISH is sent to) and topic filters (what a
SUBSCRIBE asks for), spec 4.7: the codec refuses packets that break these rules.
"""

from __future__ import annotations


def is_valid_topic_name(topic: str) -> bool:
    """A PUBLISH topic: not empty, no wildcard characters."""
    return bool(topic) and "+" not in topic and "#" not in topic


def is_valid_topic_filter(topic_filter: str) -> bool:
    """A SUBSCRIBE filter: not empty, `#` only as the whole last level, `+` only as whole levels."""
    if not topic_filter:
        return False
    if "+" not in topic_filter and "#" not in topic_filter:
        return True
    levels = topic_filter.split("/")
    last = len(levels) - 1
    for index, level in enumerate(levels):
        if ("+" in level and level != "+") or ("#" in level and (level != "#" or index != last)):
            return False
    return True
