"""Benchmark (issue 11): encode + decode of a 100-byte QoS 1 PUBLISH, the broker's commonest packet.

1000 devices publishing each second means every PUBLISH is read once and written once per
subscriber, so the codec must cost a small fraction of a millisecond. Measured, for MQTT 3.1.1 and 5
(with two properties), in round trips per second:
- `publish_round_trips_per_s`: `encode(Publish(...))` then `PacketReader.feed` of those bytes;
- `publish_puback_per_s`: the same plus the PUBACK encoded and read back (the whole QoS 1 exchange);
- `stream_decode_per_s`: packets per second when 100 PUBLISHes arrive in one 64 KB read;
and, in the same run, `json.dumps` + `json.loads` of a small dict (a reference to read the figures
on any machine: a device's JSON payload costs about that to handle).

    .venv/bin/python -m bench.mqtt_codec [--rounds 5] [--count 20000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from zaws.emulator.data_plane.codec import (
    MQTT_5,
    MQTT_311,
    Connect,
    PacketReader,
    Properties,
    Puback,
    Publish,
    encode,
)

PAYLOAD = json.dumps({"temperature": 21.5, "humidity": 40, "device": "dev-0001"}).encode()
PAYLOAD = PAYLOAD + b" " * (100 - len(PAYLOAD))


def _reader(level: int) -> PacketReader:
    reader = PacketReader(1 << 20)
    reader.feed(encode(Connect(level, "bench"), level))
    return reader


def _publish(level: int) -> Publish:
    properties = Properties(content_type="application/json", message_expiry_interval=60)
    return Publish(
        "dt/factory/dev-0001/telemetry",
        PAYLOAD,
        qos=1,
        packet_id=1,
        properties=properties if level == MQTT_5 else Properties(),
    )


def publish_round_trip(level: int) -> Callable[[], object]:
    reader = _reader(level)
    publish = _publish(level)

    def once() -> object:
        return reader.feed(encode(publish, level))

    return once


def publish_puback(level: int) -> Callable[[], object]:
    reader = _reader(level)
    client_side = PacketReader.of_server(1 << 20, level)
    publish = _publish(level)

    def once() -> object:
        (received,) = reader.feed(encode(publish, level))
        return client_side.feed(encode(Puback(received.packet_id), level))  # type: ignore[union-attr]

    return once


def json_reference(level: int) -> Callable[[], object]:
    document = {"temperature": 21.5, "humidity": 40, "device": "dev-0001", "seq": 12}

    def once() -> object:
        return json.loads(json.dumps(document))

    return once


def per_second(
    make: Callable[[int], Callable[[], object]], level: int, count: int, rounds: int
) -> float:
    """The median over `rounds` of `count` calls, in calls per second."""
    rates = []
    for _ in range(rounds):
        once = make(level)
        start = time.perf_counter()
        for _ in range(count):
            once()
        rates.append(count / (time.perf_counter() - start))
    return round(statistics.median(rates))


def stream_decode(level: int, count: int, rounds: int) -> float:
    chunk = encode(_publish(level), level) * 100
    rates = []
    for _ in range(rounds):
        reader = _reader(level)
        start = time.perf_counter()
        for _ in range(count // 100):
            reader.feed(chunk)
        rates.append((count // 100) * 100 / (time.perf_counter() - start))
    return round(statistics.median(rates))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=20_000)
    arguments = parser.parse_args()
    count, rounds = arguments.count, arguments.rounds
    packet = _publish(MQTT_311)
    report: dict[str, object] = {
        "publish_bytes": {
            "mqtt_311": len(encode(packet, MQTT_311)),
            "mqtt_5": len(encode(_publish(MQTT_5), MQTT_5)),
        },
        "json_dumps_loads_per_s": per_second(json_reference, 0, count, rounds),
    }
    for name, level in (("mqtt_311", MQTT_311), ("mqtt_5", MQTT_5)):
        report[name] = {
            "publish_round_trips_per_s": per_second(publish_round_trip, level, count, rounds),
            "publish_puback_per_s": per_second(publish_puback, level, count, rounds),
            "stream_decode_per_s": stream_decode(level, count, rounds),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
