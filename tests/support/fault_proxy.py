"""An HTTP reverse proxy in front of the emulator that misbehaves the way AWS and networks do.

The add-things and cleanup operations must survive throttling, HTTP 500s and dropped connections
(issue 3). Faking results inside the client would test the fakes; this proxy injects the faults on
the wire, so botocore parses, retries and fails exactly as it would against AWS:

- `throttle_rate`: HTTP 400 ThrottlingException (the service's own error format), never forwarded;
- `error_rate`: HTTP 500 InternalFailure, never forwarded;
- `drop_before_rate`: the connection is reset before the request is forwarded (nothing happened);
- `drop_after_rate`: the request is forwarded and processed, then the connection is reset instead
  of answering (the client cannot know it happened);
- `quota`: per-operation token buckets (`aws-default` = AWS IoT's default TPS) answering
  ThrottlingException above the rate;
- `hold`: requests of these operations wait at the proxy until `release()`, then are forwarded
  whether or not their client is still there (a request queued at a slow server).

Random faults are drawn from one `random.Random(seed)`, so a sequential client sees the same faults
on every run. `operations` limits random faults to those operation names (see `aws_operations`).
Counts per operation: forwarded, throttled, errored, dropped_before, dropped_after, held;
`wait_for(operation, outcome, n)` awaits a count.

    with FaultProxy(upstream, throttle_rate=0.1, seed=1) as proxy:
        client = boto3.client("iot", endpoint_url=proxy.url, ...)

    python -m tests.support.fault_proxy --upstream http://127.0.0.1:5000 --quota aws-default

The CLI prints its URL as the last line of start-up output and serves until SIGINT/SIGTERM; its
counts are at GET <url>/__fault-proxy/stats and printed as JSON to stderr on exit.
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import http.client
import json
import random
import signal
import socket
import struct
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from tests.support.aws_operations import Operation, resolve
from tests.support.aws_quotas import Clock, QuotaGate, quota_table

STATS_PATH = "/__fault-proxy/stats"
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "expect",
}


class Fault(enum.Enum):
    THROTTLE = "throttled"
    ERROR = "errored"
    DROP_BEFORE = "dropped_before"
    DROP_AFTER = "dropped_after"


class FaultProxy:
    """The proxy; binds at construction, serves between `start()`/`stop()` (or in a `with`)."""

    def __init__(
        self,
        upstream: str,
        *,
        throttle_rate: float = 0.0,
        error_rate: float = 0.0,
        drop_before_rate: float = 0.0,
        drop_after_rate: float = 0.0,
        seed: int | None = 0,
        operations: Iterable[str] | None = None,
        quota: str | Mapping[str, float] | None = None,
        burst_seconds: float = 1.0,
        clock: Clock = time.monotonic,
        host: str = "127.0.0.1",
        port: int = 0,
        upstream_timeout: float = 60.0,
        hold: Iterable[str] = (),
    ) -> None:
        rates = [throttle_rate, error_rate, drop_before_rate, drop_after_rate]
        if any(r < 0 for r in rates) or sum(rates) > 1:
            raise ValueError("fault rates must be >= 0 and add up to at most 1")
        target = urlsplit(upstream)
        if target.scheme != "http" or not target.hostname:
            raise ValueError(f"upstream must be an http:// URL, not {upstream!r}")
        self.upstream = (target.hostname, target.port or 80)
        self.upstream_timeout = upstream_timeout
        self._thresholds = list(zip(Fault, rates, strict=True))
        self._random = random.Random(seed)
        self._only = frozenset(operations) if operations is not None else None
        self._gate = (
            QuotaGate(quota_table(quota), burst_seconds=burst_seconds, clock=clock)
            if quota is not None
            else None
        )
        self._lock = threading.Lock()
        self._counted = threading.Condition(self._lock)
        self._counts: dict[str, Counter[str]] = {}
        self._held = frozenset(hold)
        self._released = threading.Event()
        self._server = ThreadingHTTPServer((host, port), _ProxyHandler, bind_and_activate=False)
        self._server.request_queue_size = 128
        self._server.daemon_threads = True
        self._server.server_bind()
        self._server.server_activate()
        self._server.proxy = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stats(self) -> dict[str, dict[str, int]]:
        """{operation: {forwarded, throttled, errored, dropped_before, dropped_after}}."""
        with self._lock:
            return {op: dict(counts) for op, counts in sorted(self._counts.items())}

    def count(self, operation: str, outcome: str) -> int:
        with self._lock:
            return self._counts.get(operation, Counter())[outcome]

    def wait_for(self, operation: str, outcome: str, n: int = 1, timeout: float = 60.0) -> None:
        """Until `count(operation, outcome) >= n`; AssertionError after `timeout` seconds."""
        with self._counted:
            reached = self._counted.wait_for(
                lambda: self._counts.get(operation, Counter())[outcome] >= n, timeout
            )
        assert reached, f"{operation}: {outcome} {n} times not seen in {timeout} s"

    def holds(self, operation: Operation) -> bool:
        return operation.key in self._held

    def await_release(self) -> None:
        self._released.wait(self.upstream_timeout)

    def release(self) -> None:
        """Forward the held requests, and every later one at once."""
        self._released.set()

    def total(self, outcome: str) -> int:
        with self._lock:
            return sum(c[outcome] for c in self._counts.values())

    def decide(self, operation: Operation) -> Fault | None:
        """The fault for this request, if any: quota first, then the seeded draw."""
        if self._gate is not None and not self._gate.admit(operation.key):
            return Fault.THROTTLE
        if self._only is not None and operation.key not in self._only:
            return None
        with self._lock:
            draw = self._random.random()
        for fault, rate in self._thresholds:
            if draw < rate:
                return fault
            draw -= rate
        return None

    def record(self, operation: Operation, outcome: str) -> None:
        with self._counted:
            self._counts.setdefault(operation.key, Counter())[outcome] += 1
            self._counted.notify_all()


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-proxy"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stalls

    def log_message(self, format: str, *args: object) -> None:  # quiet: moto logs enough
        pass

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0], 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _handle(self) -> None:
        proxy: FaultProxy = self.server.proxy  # type: ignore[attr-defined]
        body = self._read_body()
        if self.command == "GET" and self.path == STATS_PATH:
            self._answer(200, {"Content-Type": "application/json"}, json.dumps(proxy.stats()))
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        operation = resolve(self.command, self.path, headers, body)
        fault = proxy.decide(operation)
        if fault is not None and fault is not Fault.DROP_AFTER:
            proxy.record(operation, fault.value)
            if fault is Fault.DROP_BEFORE:
                self._reset()
            else:
                self._answer(*_error(operation, fault))
            return
        if proxy.holds(operation):
            proxy.record(operation, "held")
            proxy.await_release()
        try:
            status, reason, response_headers, response_body = self._forward(proxy, body)
        except OSError as error:
            self._answer(502, {"Content-Type": "text/plain"}, f"upstream unreachable: {error}")
            return
        proxy.record(operation, "forwarded")
        if fault is Fault.DROP_AFTER:
            proxy.record(operation, fault.value)
            self._reset()
            return
        with contextlib.suppress(OSError):  # the client is gone (killed while its request was held)
            self._relay(status, reason, response_headers, response_body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

    def _forward(
        self, proxy: FaultProxy, body: bytes
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(*proxy.upstream, timeout=proxy.upstream_timeout)
        try:
            connection.putrequest(
                self.command, self.path, skip_host=True, skip_accept_encoding=True
            )
            for name, value in self.headers.items():
                if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                    connection.putheader(name, value)
            if body or self.command in {"POST", "PUT", "PATCH"}:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body or None)
            response = connection.getresponse()
            return response.status, response.reason, response.getheaders(), response.read()
        finally:
            connection.close()

    def _relay(self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response_only(status, reason)
        bodyless = self.command == "HEAD" or status in (204, 304) or status < 200
        for name, value in headers:
            lower = name.lower()
            if lower in _HOP_BY_HOP or (lower == "content-length" and not bodyless):
                continue
            self.send_header(name, value)
        if not bodyless:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not bodyless:
            self.wfile.write(body)

    def _answer(self, status: int, headers: dict[str, str], body: str) -> None:
        data = body.encode()
        self.send_response_only(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _reset(self) -> None:
        """Abort the connection with a TCP RST, as a crashed server or a broken network would."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()


def _error(operation: Operation, fault: Fault) -> tuple[int, dict[str, str], str]:
    """The status, headers and body the real service would send for this fault."""
    throttle = fault is Fault.THROTTLE
    request_id = str(uuid.uuid4())
    if operation.speaks_json:
        code = "ThrottlingException" if throttle else "InternalFailure"
        message = "Rate exceeded" if throttle else "Internal failure (injected by fault proxy)"
        content_type = "application/json"
        if operation.protocol == "json":
            content_type = "application/x-amz-json-1.1"
        headers = {
            "Content-Type": content_type,
            "x-amzn-ErrorType": code,
            "x-amzn-RequestId": request_id,
        }
        return (400 if throttle else 500), headers, json.dumps({"__type": code, "message": message})
    xml = {"Content-Type": "text/xml", "x-amz-request-id": request_id}
    if operation.protocol == "rest-xml":  # S3
        code, status = ("SlowDown", 503) if throttle else ("InternalError", 500)
        body = f"<Error><Code>{code}</Code><Message>{code}</Message>"
        return status, xml, f"{body}<RequestId>{request_id}</RequestId></Error>"
    code, kind, status = (
        ("Throttling", "Sender", 400) if throttle else ("InternalFailure", "Receiver", 500)
    )
    error = f"<Error><Type>{kind}</Type><Code>{code}</Code><Message>{code}</Message></Error>"
    return status, xml, f"<ErrorResponse>{error}<RequestId>{request_id}</RequestId></ErrorResponse>"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.support.fault_proxy")
    parser.add_argument("--upstream", required=True, help="the emulator's URL")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--throttle-rate", type=float, default=0.0)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--drop-before-rate", type=float, default=0.0)
    parser.add_argument("--drop-after-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--operations", help="comma-separated operation names to fault")
    parser.add_argument("--quota", help="a quota table name (aws-default) or a JSON object")
    parser.add_argument("--burst-seconds", type=float, default=1.0)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    quota = args.quota
    if quota is not None and quota.lstrip().startswith("{"):
        quota = json.loads(quota)
    proxy = FaultProxy(
        args.upstream,
        throttle_rate=args.throttle_rate,
        error_rate=args.error_rate,
        drop_before_rate=args.drop_before_rate,
        drop_after_rate=args.drop_after_rate,
        seed=args.seed,
        operations=args.operations.split(",") if args.operations else None,
        quota=quota,
        burst_seconds=args.burst_seconds,
        port=args.port,
    )
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    with proxy:
        print(proxy.url, flush=True)
        stopping.wait()
    print(json.dumps(proxy.stats()), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
