"""The position-tracking parser agrees with json.loads and puts every offset where it belongs."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zaws.checks.jsonscan import JsonSyntaxError, ObjectNode, parse

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(JSON_VALUES, st.sampled_from([None, 2]), st.booleans())
def test_values_equal_json_loads(value: object, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    assert parse(text).value == json.loads(text)


@settings(max_examples=500)
@given(st.text(alphabet='{}[]":,0123456789.eE+-tnrufalsx \\\n\t', max_size=30))
def test_accepts_exactly_what_json_accepts(text: str) -> None:
    try:
        expected = json.loads(text)
    except ValueError:
        with pytest.raises(JsonSyntaxError) as caught:
            parse(text)
        assert 0 <= caught.value.offset <= len(text)
    else:
        got = parse(text).value
        assert got == expected or (isinstance(got, float) and math.isnan(got))


def test_member_offsets_point_at_keys_and_values() -> None:
    text = '{\n  "endpoint": "x-ats",\n  "n": [1, {"a": null}],\n  "é\\"k": true\n}'
    root = parse(text)
    assert isinstance(root, ObjectNode)
    for member in root.members:
        assert json.loads(text[member.key_start : member.key_end]) == member.key
        assert json.loads(text[member.node.start : member.node.end]) == member.node.value
    assert (root.start, root.end) == (0, len(text))


def test_duplicate_keys_are_kept_and_the_last_wins() -> None:
    root = parse('{"a": 1, "a": 2}')
    assert isinstance(root, ObjectNode)
    assert [m.key for m in root.members] == ["a", "a"]
    member = root.member("a")
    assert member is not None and member.node.value == 2


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("", 0),
        ("   ", 3),
        ('{"a": 1,}', 8),
        ('{"a" 1}', 5),
        ('{"a": tru}', 6),
        ('{"a": "b\nc"}', 8),
        ('{"a": "\\x"}', 7),
        ('{"a": 1} x', 9),
        ("NaN", 0),
        ('{"a": 01}', 7),
        ('{"a": "unterminated', 6),
    ],
)
def test_syntax_errors_are_at_the_exact_offset(text: str, offset: int) -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        parse(text)
    assert caught.value.offset == offset


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    with pytest.raises(JsonSyntaxError):
        parse("[" * 100_000)
