"""The MQTT benchmarks' load generator: many devices in one asyncio process, driven over stdin.

Not paho (a thread per client would make the generator the bottleneck): each device is a
coroutine over `asyncio.open_connection(ssl=...)` with its own key and certificate (mutual TLS,
server name = the endpoint's, trusting the emulator's root), speaking MQTT 3.1.1 with the
emulator's own codec (`encode`, `PacketReader.of_server`). A device connects with its thing name
as client id, subscribes at QoS 1 to its own `<thing>/samples` and to
`$aws/things/<thing>/jobs/notify-next`, acknowledges every QoS 1 delivery, and on command publishes
one QoS 1 message a second to `<thing>/samples` carrying its sequence number and send time
(`time.perf_counter`, this process's clock, so latency = delivery - send needs no shared clock).

The orchestrator (`mqtt_load.py`) writes one JSON command a line on stdin; each answer is one JSON
line on stdout: `connect` (all at an agreed wall-clock time), `publish` (for N seconds, device i
at offset i/total of each second, then a drain), `jobs` (wait until every device has a
notify-next), `stop`. Lateness of the generator's own sends (scheduled vs. written) is reported,
so a reader can tell a late generator from a slow broker.

    python -m bench.mqtt_devices SPEC.json   # spec: {"endpoint": {...}, "devices": [...]}
"""

from __future__ import annotations

import asyncio
import json
import ssl
import sys
import time
from typing import Any

from zaws.emulator.data_plane.codec import (
    MQTT_311,
    Connack,
    Connect,
    PacketReader,
    Puback,
    Publish,
    Suback,
    Subscribe,
    Subscription,
    encode,
)

PAD = b" " * 60
CONNECT_ATTEMPTS = 5


class BenchDevice:
    def __init__(self, name: str, context: ssl.SSLContext) -> None:
        self.name = name
        self.context = context
        self.samples = f"{name}/samples"
        self.notify_next = f"$aws/things/{name}/jobs/notify-next"
        self.writer: asyncio.StreamWriter | None = None
        self.reader_task: asyncio.Task[None] | None = None
        self.connack: asyncio.Future[Connack] | None = None
        self.suback: asyncio.Future[Suback] | None = None
        self.packet_id = 0
        self.sent = 0
        self.acked = 0
        self.seen: set[int] = set()
        self.duplicates = 0
        self.latencies: list[float] = []
        self.lateness: list[float] = []
        self.notified_at: float | None = None  # wall clock of the first notify-next
        self.attempts = 0
        self.connected_at: float | None = None

    def _next_id(self) -> int:
        self.packet_id = self.packet_id % 65535 + 1
        return self.packet_id

    async def connect(self, host: str, port: int, server_name: str) -> None:
        loop = asyncio.get_running_loop()
        for attempt in range(CONNECT_ATTEMPTS):
            self.attempts = attempt + 1
            try:
                await self._connect_once(loop, host, port, server_name)
                self.connected_at = time.time()
                return
            except (OSError, TimeoutError, ssl.SSLError, ConnectionError):
                self.close()
                await asyncio.sleep(0.2 * (attempt + 1))
        raise ConnectionError(f"{self.name}: not connected after {CONNECT_ATTEMPTS} attempts")

    async def _connect_once(
        self, loop: asyncio.AbstractEventLoop, host: str, port: int, server_name: str
    ) -> None:
        reader, writer = await asyncio.open_connection(
            host, port, ssl=self.context, server_hostname=server_name, ssl_handshake_timeout=60
        )
        self.writer = writer
        self.connack, self.suback = loop.create_future(), loop.create_future()
        self.reader_task = asyncio.create_task(self._read(reader))
        writer.write(encode(Connect(MQTT_311, self.name, clean_start=True, keep_alive=0), MQTT_311))
        connack = await asyncio.wait_for(self.connack, 60)
        if connack.reason_code != 0:
            raise ConnectionError(f"{self.name}: CONNACK {connack.reason_code}")
        filters = (Subscription(self.samples, 1), Subscription(self.notify_next, 1))
        writer.write(encode(Subscribe(self._next_id(), filters), MQTT_311))
        suback = await asyncio.wait_for(self.suback, 60)
        if suback.reason_codes != (1, 1):
            raise ConnectionError(f"{self.name}: SUBACK {suback.reason_codes}")

    async def _read(self, reader: asyncio.StreamReader) -> None:
        packets = PacketReader.of_server(1 << 20, MQTT_311)
        while data := await reader.read(65536):
            for packet in packets.feed(data):
                self._handle(packet)
        for future in (self.connack, self.suback):
            if future is not None and not future.done():
                future.set_exception(ConnectionError("closed"))

    def _handle(self, packet: object) -> None:
        if isinstance(packet, Publish):
            if packet.qos == 1 and packet.packet_id is not None and self.writer is not None:
                self.writer.write(encode(Puback(packet.packet_id), MQTT_311))
            if packet.topic == self.samples:
                seq, sent = packet.payload.split(b" ", 2)[:2]
                self.latencies.append(time.perf_counter() - float(sent))
                number = int(seq)
                if number in self.seen:
                    self.duplicates += 1
                self.seen.add(number)
            elif packet.topic == self.notify_next and self.notified_at is None:
                self.notified_at = time.time()
        elif isinstance(packet, Puback):
            self.acked += 1
        elif isinstance(packet, Connack) and self.connack and not self.connack.done():
            self.connack.set_result(packet)
        elif isinstance(packet, Suback) and self.suback and not self.suback.done():
            self.suback.set_result(packet)

    async def publish_every_second(self, start: float, seconds: int) -> None:
        """One QoS 1 PUBLISH at perf_counter times start, start + 1, ..."""
        for k in range(seconds):
            delay = start + k - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            now = time.perf_counter()
            self.lateness.append(now - (start + k))
            payload = b"%d %.6f " % (k, now) + PAD
            if self.writer is None or self.writer.is_closing():
                return
            publish = Publish(self.samples, payload, qos=1, packet_id=self._next_id())
            self.writer.write(encode(publish, MQTT_311))
            self.sent += 1

    def close(self) -> None:
        if self.reader_task is not None:
            self.reader_task.cancel()
        if self.writer is not None:
            self.writer.close()
        self.writer = self.reader_task = None


def client_context(ca_file: str, device: dict[str, str]) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=ca_file)
    context.load_cert_chain(device["cert_file"], device["key_file"])
    return context


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def serve(spec: dict[str, Any]) -> None:
    endpoint = spec["endpoint"]
    devices = [
        BenchDevice(d["name"], client_context(endpoint["ca_file"], d)) for d in spec["devices"]
    ]
    host, port, server_name = endpoint["host"], int(endpoint["port"]), endpoint["server_name"]
    loop = asyncio.get_running_loop()
    commands = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    say({"event": "ready", "devices": len(devices)})
    while line := await commands.readline():
        command = json.loads(line)
        name = command["cmd"]
        if name == "connect":
            await asyncio.sleep(max(0.0, command["at"] - time.time()))
            results = await asyncio.gather(
                *(d.connect(host, port, server_name) for d in devices), return_exceptions=True
            )
            failed = [str(r) for r in results if isinstance(r, BaseException)]
            times = [d.connected_at for d in devices if d.connected_at is not None]
            say(
                {
                    "event": "connected",
                    "ok": len(times),
                    "failed": len(failed),
                    "errors": failed[:5],
                    "retries": sum(d.attempts - 1 for d in devices),
                    "last_at": max(times, default=None),
                    "connected_at": times,
                }
            )
        elif name == "publish":
            wall_delay = command["at"] - time.time()
            base = time.perf_counter() + wall_delay
            total, first = command["total"], command["first_index"]
            await asyncio.gather(
                *(
                    d.publish_every_second(base + (first + i) / total, command["seconds"])
                    for i, d in enumerate(devices)
                )
            )
            await asyncio.sleep(command["drain"])
            say(publish_report(devices))
        elif name == "jobs":
            deadline = time.time() + command["timeout"]
            while time.time() < deadline and any(d.notified_at is None for d in devices):
                await asyncio.sleep(0.05)
            times = [d.notified_at for d in devices if d.notified_at is not None]
            say({"event": "notified", "count": len(times), "notified_at": times})
        elif name == "stop":
            for d in devices:
                d.close()
            await asyncio.sleep(0.5)
            say({"event": "stopped"})
            return


def publish_report(devices: list[BenchDevice]) -> dict[str, Any]:
    latencies = [x for d in devices for x in d.latencies]
    lateness = [x for d in devices for x in d.lateness]
    sent = sum(d.sent for d in devices)
    unique = sum(len(d.seen) for d in devices)
    return {
        "event": "published",
        "sent": sent,
        "acked": sum(d.acked for d in devices),
        "delivered": unique,
        "duplicates": sum(d.duplicates for d in devices),
        "lost": sent - unique,
        "latencies_ms": [round(1000 * x, 3) for x in latencies],
        "send_lateness_ms": {
            "p50": round(1000 * percentile(lateness, 0.5), 2),
            "p95": round(1000 * percentile(lateness, 0.95), 2),
            "max": round(1000 * max(lateness, default=0.0), 2),
        },
    }


def say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> None:
    with open(sys.argv[1]) as handle:
        spec = json.load(handle)
    asyncio.run(serve(spec))


if __name__ == "__main__":
    main()
