"""Why the codec refuses bytes: MalformedPacket and the MQTT 5 reason codes it carries.

Its own module so the codec's helpers (properties, decoding) share one exception without importing
each other; `codec.py` re-exports all of it.
"""

from __future__ import annotations

from typing import Any

MALFORMED_PACKET = 0x81
PROTOCOL_ERROR = 0x82
UNSUPPORTED_PROTOCOL_VERSION = 0x84
TOPIC_FILTER_INVALID = 0x8F
TOPIC_NAME_INVALID = 0x90
PACKET_TOO_LARGE = 0x95


class MalformedPacket(Exception):
    """Bytes that are not an acceptable MQTT packet; `reason_code` is MQTT 5's reason for it (what
    a DISCONNECT, or a CONNACK before the session exists, should carry). `packets_before` are the
    good packets the same `feed` decoded before the bad one."""

    def __init__(self, message: str, reason_code: int = MALFORMED_PACKET) -> None:
        super().__init__(message)
        self.reason_code = reason_code
        self.packets_before: tuple[Any, ...] = ()


class UnsupportedProtocolVersion(MalformedPacket):
    """A CONNECT for a protocol other than MQTT 3.1.1 (level 4) or 5: the broker answers CONNACK
    0x01 (3.1.1's "unacceptable protocol version", which older clients understand) or 0x84."""

    def __init__(self, protocol_name: str, protocol_level: int) -> None:
        super().__init__(
            f"unsupported protocol {protocol_name!r} level {protocol_level}",
            UNSUPPORTED_PROTOCOL_VERSION,
        )
        self.protocol_name = protocol_name
        self.protocol_level = protocol_level
