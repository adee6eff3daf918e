"""Client-side rate limits per AWS API, so bulk runs stay under the account's quotas.

Retries after a ThrottlingException waste a round trip and, in bulk, turn into retry storms; a
token bucket per API that waits before each HTTP attempt keeps a run at the quota instead. The
defaults are AWS IoT Core's default per-account quotas (adjustable in Service Quotas; pass raised
ones through AwsSettings.rate_limits). The emulator has no quotas: local mode uses no limiter.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

# Transactions per second, AWS IoT Core defaults (General Reference, "AWS IoT Core endpoints and
# quotas"). APIs absent here are not limited.
AWS_IOT_DEFAULT_TPS: dict[str, float] = {
    "CreateThing": 100,
    "DeleteThing": 100,
    "DescribeThing": 350,
    "AttachThingPrincipal": 100,
    "DetachThingPrincipal": 100,
    "AddThingToThingGroup": 100,
    "ListThings": 10,
    "ListThingPrincipals": 10,
    "AttachPolicy": 15,
    "DetachPolicy": 15,
    "ListAttachedPolicies": 15,
    "DescribeCertificate": 10,
    "ListCertificates": 10,
    "RegisterCertificateWithoutCA": 10,
    "CreateKeysAndCertificate": 10,
    "CreateCertificateFromCsr": 15,  # General Reference table; not in aws-facts.md
    "UpdateCertificate": 10,
    "DeleteCertificate": 10,
}


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved up; `take()` blocks until one is free."""

    def __init__(
        self,
        rate: float,
        burst: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = burst
        self._stamp = clock()
        self._lock = threading.Lock()

    def take(self) -> None:
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)


class RateLimiter:
    """A botocore `before-send` handler that takes a token of the call's API before each attempt."""

    def __init__(self, limits: dict[str, float], **bucket_options: Any) -> None:
        self._buckets = {
            name: TokenBucket(rate, **bucket_options) for name, rate in limits.items() if rate > 0
        }

    def __call__(self, event_name: str = "", **_: Any) -> None:
        bucket = self._buckets.get(event_name.rsplit(".", 1)[-1])
        if bucket is not None:
            bucket.take()
