"""A small JSON parser that remembers where every key and value is in the text.

Diagnostics must point at the exact offending key or value, and `json.loads` forgets positions. This
parser follows RFC 8259 strictly (no NaN, no trailing commas, no control characters in strings) and
returns a tree of nodes carrying [start, end) offsets into the text, counted in code points as
Python indexes strings. A syntax error carries the offset where the parser gave up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_PLAIN = re.compile(r'[^"\\\x00-\x1f]*')
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_MAX_DEPTH = 200


class JsonSyntaxError(ValueError):
    """Invalid JSON at `offset` (the first character that cannot be part of a valid document)."""

    def __init__(self, message: str, offset: int, end: int | None = None) -> None:
        super().__init__(f"{message} (offset {offset})")
        self.message = message
        self.offset = offset
        self.end = end if end is not None else offset + 1


@dataclass(frozen=True)
class Node:
    """A JSON value and the [start, end) offsets of its text."""

    start: int
    end: int
    value: Any


@dataclass(frozen=True)
class Member:
    """One `"key": value` pair of an object; `key_start`/`key_end` include the quotes."""

    key: str
    key_start: int
    key_end: int
    node: Node


@dataclass(frozen=True)
class ObjectNode(Node):
    """An object, with its members in document order (duplicates kept, as written)."""

    members: tuple[Member, ...] = field(default=())

    def member(self, key: str) -> Member | None:
        """The last member named `key` (the one `json.loads` keeps), or None."""
        found = None
        for member in self.members:
            if member.key == key:
                found = member
        return found


def parse(text: str) -> Node:
    """Parse a whole document; raise JsonSyntaxError at the exact offset of the first error."""
    parser = _Parser(text)
    pos = parser.skip_ws(0)
    if pos >= len(text):
        raise JsonSyntaxError("The file is empty: expected a JSON object", pos, pos)
    node, pos = parser.value(pos, 0)
    pos = parser.skip_ws(pos)
    if pos < len(text):
        raise JsonSyntaxError("Unexpected text after the end of the JSON value", pos, len(text))
    return node


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text

    def skip_ws(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def value(self, pos: int, depth: int) -> tuple[Node, int]:
        if depth > _MAX_DEPTH:
            raise JsonSyntaxError("Nesting is too deep", pos)
        text = self.text
        if pos >= len(text):
            raise JsonSyntaxError("Unexpected end of file: expected a value", pos, pos)
        char = text[pos]
        if char == "{":
            return self.object(pos, depth)
        if char == "[":
            return self.array(pos, depth)
        if char == '"':
            string, end = self.string(pos)
            return Node(pos, end, string), end
        for word, literal in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, pos):
                return Node(pos, pos + len(word), literal), pos + len(word)
        match = _NUMBER.match(text, pos)
        if match and match.end() > pos:
            raw = match.group()
            number: int | float = float(raw) if any(c in raw for c in ".eE") else int(raw)
            return Node(pos, match.end(), number), match.end()
        raise JsonSyntaxError(f"Unexpected character {char!r}: expected a value", pos)

    def object(self, start: int, depth: int) -> tuple[ObjectNode, int]:
        text = self.text
        members: list[Member] = []
        result: dict[str, Any] = {}
        pos = self.skip_ws(start + 1)
        if pos < len(text) and text[pos] == "}":
            return ObjectNode(start, pos + 1, result, ()), pos + 1
        while True:
            if pos >= len(text):
                raise JsonSyntaxError("Unexpected end of file: expected a key or '}'", pos, pos)
            if text[pos] != '"':
                raise JsonSyntaxError(f"Unexpected character {text[pos]!r}: expected a key", pos)
            key_start = pos
            key, key_end = self.string(pos)
            colon = self.skip_ws(key_end)
            if colon >= len(text) or text[colon] != ":":
                raise JsonSyntaxError("Expected ':' after the key", colon, colon + 1)
            node, pos = self.value(self.skip_ws(colon + 1), depth + 1)
            members.append(Member(key, key_start, key_end, node))
            result[key] = node.value
            pos = self.skip_ws(pos)
            if pos < len(text) and text[pos] == ",":
                pos = self.skip_ws(pos + 1)
                continue
            if pos < len(text) and text[pos] == "}":
                return ObjectNode(start, pos + 1, result, tuple(members)), pos + 1
            raise JsonSyntaxError("Expected ',' or '}' after the value", pos, pos + 1)

    def array(self, start: int, depth: int) -> tuple[Node, int]:
        text = self.text
        items: list[Any] = []
        pos = self.skip_ws(start + 1)
        if pos < len(text) and text[pos] == "]":
            return Node(start, pos + 1, items), pos + 1
        while True:
            node, pos = self.value(pos, depth + 1)
            items.append(node.value)
            pos = self.skip_ws(pos)
            if pos < len(text) and text[pos] == ",":
                pos = self.skip_ws(pos + 1)
                continue
            if pos < len(text) and text[pos] == "]":
                return Node(start, pos + 1, items), pos + 1
            raise JsonSyntaxError("Expected ',' or ']' after the value", pos, pos + 1)

    def string(self, start: int) -> tuple[str, int]:
        text = self.text
        parts: list[str] = []
        pos = start + 1
        while True:
            match = _PLAIN.match(text, pos)
            assert match is not None  # the pattern matches the empty string
            parts.append(match.group())
            pos = match.end()
            if pos >= len(text):
                raise JsonSyntaxError("Unterminated string", start, pos)
            char = text[pos]
            if char == '"':
                return "".join(parts), pos + 1
            if char != "\\":
                raise JsonSyntaxError("Control character in a string: escape it", pos)
            escape = text[pos + 1 : pos + 2]
            if escape in _ESCAPES:
                parts.append(_ESCAPES[escape])
                pos += 2
            elif escape == "u":
                code, pos = self.unicode_escape(pos)
                parts.append(code)
            else:
                raise JsonSyntaxError("Invalid escape sequence in a string", pos, pos + 2)

    def unicode_escape(self, pos: int) -> tuple[str, int]:
        code = self.hex4(pos)
        pos += 6
        if 0xD800 <= code <= 0xDBFF and self.text.startswith("\\u", pos):
            low = self.hex4(pos)
            if 0xDC00 <= low <= 0xDFFF:
                return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)), pos + 6
        return chr(code), pos

    def hex4(self, pos: int) -> int:
        digits = self.text[pos + 2 : pos + 6]
        if len(digits) != 4 or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise JsonSyntaxError("Invalid \\u escape in a string", pos, pos + 2 + len(digits))
        return int(digits, 16)
