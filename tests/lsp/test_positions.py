"""Offsets to LSP positions by LSP's line rules, in each position encoding."""

from lsprotocol import types

from zaws.lsp.positions import LineIndex


def test_line_breaks_are_lf_crlf_and_cr_only() -> None:
    text = "a\r\nb\rc\nd\u2028e\x0cf"
    index = LineIndex(text)
    assert index.position(text.index("b")) == types.Position(line=1, character=0)
    assert index.position(text.index("c")) == types.Position(line=2, character=0)
    assert index.position(text.index("f")) == types.Position(line=3, character=4)


def test_columns_per_encoding() -> None:
    text = '{"a": "😀é", "b": 1}'
    offset = text.index('"b"')
    assert LineIndex(text, "utf-16").position(offset).character == offset + 1
    assert LineIndex(text, "utf-8").position(offset).character == offset + 3 + 1
    assert LineIndex(text, "utf-32").position(offset).character == offset


def test_empty_text_and_offsets_past_the_end() -> None:
    assert LineIndex("").position(5) == types.Position(line=0, character=0)
    assert LineIndex("ab\n").position(99) == types.Position(line=1, character=0)
