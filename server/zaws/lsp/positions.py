"""Offsets (code points) into a text, as LSP positions in the negotiated encoding.

pygls' `TextDocument` splits lines with `str.splitlines`, which also breaks at \\x0c, \\x1c-\\x1e,
\\x85, \\u2028 and \\u2029; LSP breaks lines only at \\n, \\r\\n and \\r. A JSON string may hold
those characters raw, so the positions are computed here, by LSP's rules.
"""

from __future__ import annotations

import bisect
import re

from lsprotocol import types

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Line starts of one text; `position(offset)` in UTF-16 (default), UTF-8 or UTF-32 units."""

    def __init__(self, text: str, encoding: str | None = None) -> None:
        self.text = text
        self.encoding = encoding or types.PositionEncodingKind.Utf16.value
        self.starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return types.Position(line=line, character=self._units(self.text[start:offset]))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(max(start, end)))

    def _units(self, chunk: str) -> int:
        if self.encoding == types.PositionEncodingKind.Utf32.value:
            return len(chunk)
        if self.encoding == types.PositionEncodingKind.Utf8.value:
            return len(chunk.encode("utf-8", "surrogatepass"))
        return len(chunk) + sum(1 for char in chunk if ord(char) > 0xFFFF)
