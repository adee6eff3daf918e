"""The MQTT-over-WebSocket listener (SigV4) under malformed input (issue 11, item 6), against an
emulator process of this module's own: over a thousand sequences made by hypothesis, of four
kinds: a signed upgrade request with bytes flipped, set, inserted or removed; an upgrade whose
SigV4 query lost a parameter, had one changed or added, or has another path, or no query at all;
a good upgrade followed by malformed frames (any opcode, reserved bits, no mask, a length other
than the payload's, fragments, bits flipped); a good upgrade followed by malformed MQTT inside
good binary frames (test_endpoint_faults' sequences, each ending in a malformed packet). Each
connection is closed by the server (this client answers a Close frame, and ends a stream of
malformed frames with one refused at once), a bad signature is refused with 403, nothing is
answered with a server error (two were found so: `sigv4_query.verify`), what the server sends
after 101 is well-formed frames, with well-formed MQTT in them; and a paho-mqtt client over
WebSocket, and one over mutual TLS, are served afterwards.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import queue
import ssl
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, quote

import paho.mqtt.client as mqtt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emulator.data_plane.emulator_process import (
    WAIT_S,
    Emulator,
    connect_packet,
    own_emulator,
    server_packets,
)
from tests.emulator.data_plane.malformed_mqtt import SEQUENCES, terminated
from tests.emulator.data_plane.mqtt_devices import unique
from tests.emulator.data_plane.websocket_raw import (
    BINARY,
    CLOSE,
    OPCODES,
    REFUSED_AT_ONCE,
    ServerAnswer,
    completed,
    converse,
    frame,
    upgrade_request,
)
from zaws.emulator.data_plane.broker_connection import MAX_PACKET
from zaws.mqtt.sigv4_websocket import SigningCredentials, presigned_path

PER_EXAMPLE = 8
EXAMPLES = 130  # x 8: over a thousand sequences
TOKEN = "X-Amz-Security-Token"  # appended after signing by AWS's quirk: adding it changes nothing

Check = Callable[[ServerAnswer], None]
Sequence = tuple[bytes, bytes, Check]  # the upgrade request, the frames after its 101, the check


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    root = tmp_path_factory.mktemp("websocket-faults")
    with own_emulator(root, "--mqtt-connect-timeout", "2", "--mqtt-handshake-timeout", "5") as em:
        yield em


def host_of(emulator: Emulator) -> str:
    return f"{emulator.endpoint.server_name}:{emulator.endpoint.ws_port}"


def signed_path(emulator: Emulator) -> str:
    return presigned_path(host_of(emulator), "us-east-1", SigningCredentials("testing", "testing"))


# ---- what the server may answer


def no_server_error(answer: ServerAnswer) -> None:
    assert answer.status is None or answer.status < 500, answer.head


def refused_with_403(answer: ServerAnswer) -> None:
    assert answer.status == 403, answer.head or "no HTTP answer"
    assert b"Forbidden" in answer.head


def upgraded_then_well_formed(answer: ServerAnswer) -> None:
    assert answer.status == 101, answer.head or "no HTTP answer"
    assert all(opcode in OPCODES for opcode, _ in answer.frames)
    server_packets(answer.mqtt)  # raises if the server's MQTT is malformed


# ---- the four kinds of sequence, each with what its answer must be


@st.composite
def mutated_upgrade(draw: st.DrawFn, request: bytes) -> Sequence:
    data = bytearray(request)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "set", "insert", "delete"]))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[at]
    return bytes(data) + b"\r\n\r\n" + REFUSED_AT_ONCE, b"", no_server_error


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)


@st.composite
def bad_signature(draw: st.DrawFn, path: str, host: str) -> Sequence:
    route, _, query = path.partition("?")
    params = parse_qsl(query, keep_blank_values=True)
    kind = draw(st.sampled_from(["drop", "change", "add", "path", "none"]))
    if kind == "drop":
        del params[draw(st.integers(0, len(params) - 1))]
    elif kind == "change":
        at = draw(st.integers(0, len(params) - 1))
        name, value = params[at]
        params[at] = (name, draw(TEXT.filter(lambda text: text != value)))
    elif kind == "add":
        names = [name for name, _ in params if name != "X-Amz-Signature"] + ["other"]
        params.append((draw(st.sampled_from(names)), draw(TEXT)))
    elif kind == "path":
        route = draw(st.sampled_from(["/", "/MQTT", "/mqtt/", "/other"]))
    encoded = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in params)
    target = route if kind == "none" else f"{route}?{encoded}"
    assert TOKEN not in target
    return upgrade_request(target, host), REFUSED_AT_ONCE, refused_with_403


@st.composite
def client_frame(draw: st.DrawFn) -> bytes:
    payload = draw(st.binary(max_size=48))
    lengths = st.sampled_from([0, 125, 126, 65535, 65536, MAX_PACKET + 1, (1 << 63) - 1])
    return frame(
        draw(st.integers(0, 15)),
        payload,
        fin=draw(st.booleans()),
        rsv=draw(st.sampled_from([0, 0, 0, 1, 2, 4, 7])),
        masked=draw(st.sampled_from([True, True, True, False])),
        mask=draw(st.binary(min_size=4, max_size=4)),
        length=draw(st.one_of(st.none(), st.none(), lengths, st.integers(0, 200))),
    )


@st.composite
def malformed_frames(draw: st.DrawFn, request: bytes) -> Sequence:
    data = bytearray(b"".join(draw(st.lists(client_frame(), min_size=1, max_size=4))))
    for _ in range(draw(st.integers(0, 2))):
        data[draw(st.integers(0, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))
    return request, completed(bytes(data), MAX_PACKET), upgraded_then_well_formed


@st.composite
def malformed_mqtt_in_frames(draw: st.DrawFn, request: bytes) -> Sequence:
    mqtt_bytes = terminated(draw(SEQUENCES))
    cuts = sorted(draw(st.lists(st.integers(0, len(mqtt_bytes)), max_size=3)))
    edges = [0, *cuts, len(mqtt_bytes)]
    frames = b"".join(
        frame(BINARY, mqtt_bytes[a:b], mask=draw(st.binary(min_size=4, max_size=4)))
        for a, b in itertools.pairwise(edges)
    )
    return request, frames, upgraded_then_well_formed  # good frames: the MQTT ends it


# ---- good clients


def served_over_websocket(emulator: Emulator) -> None:
    """paho-mqtt over WebSocket with a SigV4 URL: connects, subscribes, gets its message back."""
    host = host_of(emulator)
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, client_id=unique("ws-good"), transport="websockets"
    )
    client.ws_set_options(path=signed_path(emulator), headers={"Host": host})
    context = ssl.create_default_context(cafile=emulator.endpoint.ca_file)
    context.check_hostname = False  # paho dials 127.0.0.1; the name is checked by the raw client
    client.tls_set_context(context)
    events: queue.Queue[Any] = queue.Queue()
    client.on_connect = lambda _c, _u, _f, code, _p: events.put(("connect", code.is_failure))
    client.on_subscribe = lambda _c, _u, _m, codes, _p: events.put(("suback", None))
    client.on_message = lambda _c, _u, message: events.put(("message", message.payload))
    client.reconnect_delay_set(60, 120)
    client.connect_async(emulator.endpoint.host, emulator.endpoint.ws_port)
    client.loop_start()
    try:
        assert events.get(timeout=WAIT_S) == ("connect", False)
        topic = f"ws-good/{unique('t')}"
        client.subscribe(topic, 1)
        assert events.get(timeout=WAIT_S)[0] == "suback"
        client.publish(topic, json.dumps({"still": "served"}), 1)
        assert events.get(timeout=WAIT_S) == ("message", b'{"still": "served"}')
    finally:
        client.disconnect()
        client.loop_stop()


# ---- the test


def test_a_thousand_malformed_websocket_sequences_leave_the_endpoint_serving(
    emulator: Emulator,
) -> None:
    path, host = signed_path(emulator), host_of(emulator)
    request = upgrade_request(path, host)
    sequences = st.one_of(
        mutated_upgrade(request),
        bad_signature(path, host),
        malformed_frames(request),
        malformed_mqtt_in_frames(request),
    )
    sent = [0]

    async def send(request: bytes, frames: bytes, check: Check) -> None:
        check(await converse(emulator, request, frames))

    @settings(
        max_examples=EXAMPLES,
        deadline=timedelta(seconds=WAIT_S * 2),
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(some=st.lists(sequences, min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
    def some_sequences(some: list[Sequence]) -> None:
        async def all_at_once() -> None:
            await asyncio.gather(*(send(*sequence) for sequence in some))

        asyncio.run(all_at_once())
        sent[0] += len(some)

    some_sequences()
    assert sent[0] >= 1000
    served_over_websocket(emulator)
    emulator.served()


def test_mqtt_in_good_frames_is_answered_before_the_close(emulator: Emulator) -> None:
    """The raw client in a conversation the server serves: a CONNECT in one binary frame, then
    malformed MQTT in another: the CONNACK comes, then the close."""
    request = upgrade_request(signed_path(emulator), host_of(emulator))
    hello = frame(BINARY, connect_packet(unique("raw-ws"), 4), mask=b"abcd")
    garbage = frame(BINARY, b"\xff" * 8, mask=b"efgh")
    answer = asyncio.run(converse(emulator, request, hello + garbage))
    upgraded_then_well_formed(answer)
    assert answer.mqtt == b"\x20\x02\x00\x00"  # CONNACK: accepted
    assert answer.frames[-1][0] == CLOSE
