"""MQTT's data representations (spec 1.5): two-byte lengths, variable byte integers, UTF-8 strings
and binary data, read from a packet's body and written back.

Shared by the properties and the packet decoder and encoder. Readers take the body and a position
and return the value and the next position; every overrun or invalid string is a MalformedPacket.
"""

from __future__ import annotations

import struct

from zaws.emulator.data_plane.codec_errors import MalformedPacket

MAX_VARINT = 268_435_455

_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")
unpack_u16 = _U16.unpack_from
unpack_u32 = _U32.unpack_from
pack_u16 = _U16.pack
pack_u32 = _U32.pack


def read_u16(body: bytes, pos: int, end: int) -> tuple[int, int]:
    if pos + 2 > end:
        raise MalformedPacket("two-byte integer past the end of the packet")
    return unpack_u16(body, pos)[0], pos + 2


def read_varint(body: bytes | bytearray, pos: int, end: int) -> tuple[int, int]:
    """A variable byte integer (at most 4 bytes, in the fewest bytes, as the spec requires)."""
    value = 0
    shift = 0
    for index in range(pos, min(pos + 4, end)):
        byte = body[index]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            if byte == 0 and index > pos:
                raise MalformedPacket("variable byte integer not in its shortest form")
            return value, index + 1
        shift += 7
    if end - pos >= 4:
        raise MalformedPacket("variable byte integer longer than 4 bytes")
    raise MalformedPacket("variable byte integer past the end of the packet")


def encode_varint(value: int) -> bytes:
    if value < 0x80:
        return bytes((value,))
    if not 0 <= value <= MAX_VARINT:
        raise ValueError(f"{value} does not fit a variable byte integer")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def read_binary(body: bytes, pos: int, end: int) -> tuple[bytes, int]:
    if pos + 2 > end:
        raise MalformedPacket("binary data length past the end of the packet")
    length = unpack_u16(body, pos)[0]
    start = pos + 2
    stop = start + length
    if stop > end:
        raise MalformedPacket("binary data past the end of the packet")
    return body[start:stop], stop


def read_utf8(body: bytes, pos: int, end: int) -> tuple[str, int]:
    """A UTF-8 string: well-formed (no surrogates, no overlong forms) and without U+0000."""
    if pos + 2 > end:
        raise MalformedPacket("string length past the end of the packet")
    length = unpack_u16(body, pos)[0]
    start = pos + 2
    stop = start + length
    if stop > end:
        raise MalformedPacket("string past the end of the packet")
    try:
        text = body[start:stop].decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedPacket(f"string is not valid UTF-8: {error.reason}") from None
    if "\x00" in text:
        raise MalformedPacket("string contains U+0000")
    return text, stop


def encode_binary(data: bytes) -> bytes:
    if len(data) > 0xFFFF:
        raise ValueError(f"binary data of {len(data)} bytes is longer than 65535")
    return pack_u16(len(data)) + data


def encode_utf8(text: str) -> bytes:
    data = text.encode("utf-8")
    if len(data) > 0xFFFF:
        raise ValueError(f"string of {len(data)} bytes is longer than 65535")
    if "\x00" in text:
        raise ValueError("MQTT strings cannot contain U+0000")
    return pack_u16(len(data)) + data
