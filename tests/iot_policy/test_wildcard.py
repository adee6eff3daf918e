"""IAM wildcards: `*` any sequence (across `/` and `:`), `?` one character, the rest literal."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from zaws.iot_policy.wildcard import (
    Variable,
    Wild,
    glob_match,
    parse_pattern,
    render_regex,
    render_text,
)

ALPHABET = "ab/+#*?$.:{}\\[]()^|"


def reference_match(pattern: str, text: str) -> bool:
    """Straightforward dynamic programming over (pattern position, text position)."""
    reachable = {0}
    for char in pattern:
        if char == "*":
            start = min(reachable) if reachable else len(text) + 1
            reachable = set(range(start, len(text) + 1))
        elif char == "?":
            reachable = {i + 1 for i in reachable if i < len(text)}
        else:
            reachable = {i + 1 for i in reachable if i < len(text) and text[i] == char}
    return len(text) in reachable


@settings(max_examples=500)
@given(st.text(alphabet=ALPHABET, max_size=8), st.text(alphabet=ALPHABET, max_size=10))
def test_matches_like_the_reference(pattern: str, text: str) -> None:
    assert glob_match(pattern, text) == reference_match(pattern, text)


@given(st.text(alphabet=ALPHABET.replace("*", "").replace("?", ""), max_size=12))
def test_a_pattern_without_wildcards_matches_only_itself(text: str) -> None:
    assert glob_match(text, text)
    assert not glob_match(text, text + "x")


def test_star_crosses_levels_and_mqtt_wildcards_are_literal() -> None:
    assert glob_match("topic/a/*", "topic/a/b/c/d")
    assert glob_match("arn:aws:iot:*:*:topic/x", "arn:aws:iot:eu-west-1:123:topic/x")
    assert glob_match("topicfilter/some/*/topic", "topicfilter/some/+/topic")
    assert glob_match("topicfilter/some/+/topic", "topicfilter/some/+/topic")
    assert not glob_match("topicfilter/some/+/topic", "topicfilter/some/x/topic")
    assert not glob_match("topic/a/#", "topic/a/b")
    assert glob_match("a/???", "a/xyz") and not glob_match("a/???", "a/xy")


def test_variables_only_in_2012_documents() -> None:
    assert parse_pattern("a/${iot:ClientId}", variables=False) == ("a/${iot:ClientId}",)
    assert parse_pattern("a/${ iot:ClientId }/*", variables=True) == (
        "a/",
        Variable("iot:ClientId", "${ iot:ClientId }"),
        "/",
        Wild.ANY,
    )


def test_escapes_stand_for_literal_characters() -> None:
    pattern = parse_pattern("a${*}b${?}c${$}", variables=True)
    assert pattern == ("a*b?c$",)
    assert re.fullmatch(render_regex(pattern, lambda _: None), "a*b?c$")
    assert not re.fullmatch(render_regex(pattern, lambda _: None), "axb?c$")


def test_an_unclosed_reference_is_text() -> None:
    assert parse_pattern("a/${iot:ClientId", variables=True) == ("a/${iot:ClientId",)


def test_substituted_values_are_literal_and_missing_ones_keep_their_text() -> None:
    pattern = parse_pattern("t/${iot:ClientId}/${x}", variables=True)
    values = {"iot:ClientId": "a*b"}
    regex = re.compile(render_regex(pattern, values.get))
    assert regex.fullmatch("t/a*b/${x}")
    assert not regex.fullmatch("t/aXb/${x}")
    assert render_text(pattern, values.get) == "t/a*b/${x}"
