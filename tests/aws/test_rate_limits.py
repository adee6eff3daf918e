"""Per-API token buckets, on a simulated clock (no timing in tests)."""

from __future__ import annotations

from zaws.aws.rate_limits import AWS_IOT_DEFAULT_TPS, RateLimiter, TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_burst_of_calls_is_spread_at_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10, clock=clock, sleep=clock.sleep)
    for _ in range(21):
        bucket.take()
    assert round(clock.now, 6) == 2.0  # 20 waits of 0.1 s after the first free token


def test_idle_time_refills_only_up_to_the_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10, burst=2, clock=clock, sleep=clock.sleep)
    clock.now = 100.0
    bucket.take()
    bucket.take()
    assert clock.slept == []
    bucket.take()
    assert clock.slept == [0.1]


def test_limiter_picks_the_bucket_of_the_called_api() -> None:
    clock = FakeClock()
    limiter = RateLimiter({"AttachPolicy": 15, "CreateThing": 100}, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        limiter(event_name="before-send.iot.AttachPolicy")
        limiter(event_name="before-send.iot.DescribeEndpoint")  # not limited
    assert len(clock.slept) == 3 and round(sum(clock.slept), 6) == round(3 / 15, 6)


def test_defaults_are_aws_iot_quotas() -> None:
    assert AWS_IOT_DEFAULT_TPS["CreateKeysAndCertificate"] == 10
    assert AWS_IOT_DEFAULT_TPS["AttachPolicy"] == 15
    assert AWS_IOT_DEFAULT_TPS["CreateThing"] == 100
