"""AWS IoT Core's default request quotas, and the token buckets the fault proxy enforces them with.

The emulator answers as fast as it can; real AWS answers ThrottlingException above a per-account,
per-API rate. The proxy's `quota` mode puts these buckets in front of the emulator so a bulk run can
be measured against the ceiling real AWS would allow. The table is the one in
`shared/notes/aws-facts.md` (AWS General Reference, "AWS IoT Core endpoints and quotas"); it is kept
here, apart from the client's own limiter, so the client is checked against an independent statement
of the quotas. Operations not in the table are not limited.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

# Transactions per second, per account and region, by operation name.
AWS_IOT_DEFAULT_TPS: Mapping[str, float] = {
    "CreateThing": 100,
    "DeleteThing": 100,
    "AttachThingPrincipal": 100,
    "DetachThingPrincipal": 100,
    "AddThingToThingGroup": 100,
    "DescribeThing": 350,
    "ListThings": 10,
    "AttachPolicy": 15,
    "DescribeCertificate": 10,
    "RegisterCertificateWithoutCA": 10,
    "CreateKeysAndCertificate": 10,
    "CreateCertificateFromCsr": 15,  # General Reference table; not in aws-facts.md
    "UpdateCertificate": 10,
    "DeleteCertificate": 10,
}

QUOTA_TABLES: Mapping[str, Mapping[str, float]] = {"aws-default": AWS_IOT_DEFAULT_TPS}

Clock = Callable[[], float]


class TokenBucket:
    """`rate` tokens per second, at most `capacity` saved up; starts full. Thread-safe."""

    def __init__(self, rate: float, capacity: float, clock: Clock = time.monotonic) -> None:
        if rate <= 0 or capacity < 1:
            raise ValueError("a bucket needs a positive rate and room for at least one token")
        self.rate = rate
        self.capacity = capacity
        self._clock = clock
        self._tokens = capacity
        self._stamp = clock()
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Spend one token if there is one; False means the caller is over the rate."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            if self._tokens >= 1:
                self._tokens -= 1
                return True
            return False


class QuotaGate:
    """One bucket per limited operation; `burst_seconds` of rate may be spent at once."""

    def __init__(
        self, tps: Mapping[str, float], *, burst_seconds: float = 1.0, clock: Clock = time.monotonic
    ) -> None:
        self.tps = dict(tps)
        self._buckets = {
            name: TokenBucket(rate, max(1.0, rate * burst_seconds), clock)
            for name, rate in self.tps.items()
        }

    def admit(self, operation: str) -> bool:
        bucket = self._buckets.get(operation)
        return bucket is None or bucket.take()


def quota_table(name_or_table: str | Mapping[str, float]) -> Mapping[str, float]:
    """A named table (`aws-default`) or an explicit {operation: tps} mapping."""
    if isinstance(name_or_table, str):
        try:
            return QUOTA_TABLES[name_or_table]
        except KeyError:
            known = ", ".join(QUOTA_TABLES)
            raise ValueError(f"unknown quota table {name_or_table!r} (known: {known})") from None
    return name_or_table
