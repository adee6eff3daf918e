"""Benchmark (issue 11, item 8): the cost of one AWS IoT policy check, against references.

The broker checks every CONNECT, PUBLISH, SUBSCRIBE and delivery, so a check must stay cheap.
Two policies: the one `zaws create-policy` writes (3 statements, thing variables, a condition)
and a 10-statement policy with thing, attribute and certificate variables, ForAnyValue, Bool and
NotIpAddress conditions and two Denies. Each runs a device's mix of requests (connect, its own
samples and jobs topics, a subscribe, deliveries, a refused topic, another thing's topic).
Reported in microseconds per check:
- `evaluate_us`: `Authorizer.evaluate`, the full evaluation without the decision cache;
- `check_cached_us`: `Authorizer.check` once its decisions are cached (the broker's steady state);
- `bind_us`: one connection's start (`Authorizer(...)` plus the first check of each action:
  variables substituted, conditions decided, patterns compiled; re's own cache off the path);
- `compile_us`: one policy document parsed and compiled (once per policy version);
and, measured in the same run, the cost of one `re.fullmatch` of a compiled pattern on a topic ARN
and of one dict lookup, so the figures can be read on any machine.

    .venv/bin/python -m bench.policy_eval [--rounds 5] [--checks 20000]

Target (issue 11): <= 50 microseconds per check.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

from zaws.iot_policy import (
    Authorizer,
    ClientCertificate,
    ConnectionContext,
    IotArns,
    Request,
    ThingInfo,
    compile_policy,
    wildcard,
)
from zaws.iot_policy import compiled as compiled_module
from zaws.operations.create_policy import device_policy_document

ARNS = IotArns("eu-west-1", "123456789012")
THING = "${iot:Connection.Thing.ThingName}"
T = "arn:aws:iot:*:*:topic"
F = "arn:aws:iot:*:*:topicfilter"


def ten_statement_policy() -> dict[str, Any]:
    def allow(actions: list[str], *resources: str, **extra: Any) -> dict[str, Any]:
        return {"Effect": "Allow", "Action": actions, "Resource": list(resources), **extra}

    return {
        "Version": "2012-10-17",
        "Statement": [
            allow(
                ["iot:Connect"],
                f"arn:aws:iot:*:*:client/{THING}",
                Condition={"Bool": {"iot:Connection.Thing.IsAttached": "true"}},
            ),
            allow(["iot:Publish", "iot:Receive"], f"{T}/{THING}/*"),
            allow(["iot:Subscribe"], f"{F}/{THING}/*"),
            allow(["iot:Publish", "iot:Receive"], f"{T}/$aws/things/{THING}/shadow/*"),
            allow(["iot:Subscribe"], f"{F}/$aws/things/{THING}/shadow/*"),
            allow(["iot:Publish", "iot:Receive"], f"{T}/$aws/things/{THING}/jobs/*"),
            allow(["iot:Subscribe"], f"{F}/$aws/things/{THING}/jobs/*"),
            allow(
                ["iot:Publish"],
                f"{T}/fleet/${{iot:Connection.Thing.ThingTypeName}}/"
                "${iot:Connection.Thing.Attributes[site]}/${iot:Certificate.Subject.CommonName}",
                Condition={
                    "ForAnyValue:StringEquals": {
                        "iot:Certificate.Subject.Organization.List": ["Zerynth", "Example Corp"]
                    }
                },
            ),
            {"Sid": "NoAdmin", "Effect": "Deny", "Action": "iot:*", "Resource": f"{T}/*/admin/*"},
            {
                "Sid": "LocalOnly",
                "Effect": "Deny",
                "Action": "iot:*",
                "Resource": "*",
                "Condition": {"NotIpAddress": {"aws:SourceIp": ["127.0.0.0/8", "10.0.0.0/8"]}},
            },
        ],
    }


def device_requests(thing: str) -> list[Request]:
    jobs = f"$aws/things/{thing}/jobs"
    return [
        ARNS.connect(thing),
        ARNS.publish(f"{thing}/samples"),
        ARNS.receive(f"{thing}/commands"),
        ARNS.subscribe(f"{jobs}/notify"),
        ARNS.publish(f"{jobs}/get"),
        ARNS.receive(f"{jobs}/fota-1/update/accepted"),
        ARNS.publish(f"$aws/things/{thing}/shadow/update"),
        ARNS.publish("dev/sample"),  # refused: not under the thing's name
        ARNS.publish("sensor_2/samples"),  # refused: another thing's topic
        ARNS.publish("fleet/bulb/north/sensor_1"),
    ]


def context(thing: str) -> ConnectionContext:
    cert = ClientCertificate(
        subject={"CommonName": (thing,), "Organization": ("Zerynth",)},
        issuer={"CommonName": ("zaws emulator root",)},
        serial_number="123456789",
    )
    return ConnectionContext(thing, ThingInfo(thing, "bulb", {"site": "north"}), cert, "127.0.0.1")


def per_call_us(call: Callable[[], object], count: int, rounds: int) -> float:
    """Median over rounds of the mean time per call, in microseconds."""
    results = []
    for _ in range(rounds):
        started = time.perf_counter_ns()
        for _ in range(count):
            call()
        results.append((time.perf_counter_ns() - started) / count / 1000)
    return round(statistics.median(results), 3)


def measure_policy(document: dict[str, Any], checks: int, rounds: int) -> dict[str, object]:
    policy = compile_policy("bench", document)
    auth = Authorizer([policy], context("sensor_1"))
    requests = device_requests("sensor_1")
    pairs = [(r.action, r.resource) for r in requests]
    allowed = sum(auth.evaluate(a, r).allowed for a, r in pairs)
    loops = max(1, checks // len(pairs))

    def evaluate_all() -> None:
        for action, resource in pairs:
            auth.evaluate(action, resource)

    def check_all() -> None:
        for action, resource in pairs:
            auth.check(action, resource)

    actions = sorted({a for a, _ in pairs})
    serial = iter(range(10**9))

    def bind() -> None:
        # a fresh thing name per connection: nothing comes from re's or zaws's pattern caches
        fresh = Authorizer([policy], context(f"sensor_{next(serial)}"))
        for action in actions:
            fresh.evaluate(action, "arn:aws:iot:eu-west-1:123456789012:topic/x")

    def compile_once() -> None:
        compiled_module._compile.cache_clear()
        compile_policy("bench", document)

    return {
        "statements": len(policy.statements),
        "requests": len(pairs),
        "allowed": allowed,
        "evaluate_us": round(per_call_us(evaluate_all, loops, rounds) / len(pairs), 3),
        "check_cached_us": round(per_call_us(check_all, loops, rounds) / len(pairs), 3),
        "bind_us": per_call_us(bind, max(1, loops // 20), rounds),
        "compile_us": per_call_us(compile_once, max(1, loops // 20), rounds),
    }


def references(checks: int, rounds: int) -> dict[str, float]:
    regex = re.compile(r"arn:aws:iot:.*:.*:topic/sensor_1/.*", re.DOTALL)
    topic = ARNS.topic("sensor_1/samples")
    table = {ARNS.topic(f"sensor_{i}/samples"): i for i in range(100)}
    return {
        "re_fullmatch_us": per_call_us(lambda: regex.fullmatch(topic), checks, rounds),
        "dict_lookup_us": per_call_us(lambda: table.get(topic), checks, rounds),
    }


def run(rounds: int, checks: int) -> dict[str, object]:
    reference = references(checks, rounds)
    device = measure_policy(device_policy_document(), checks, rounds)
    ten = measure_policy(ten_statement_policy(), checks, rounds)
    worst = max(float(str(device["evaluate_us"])), float(str(ten["evaluate_us"])))
    return {
        "benchmark": "policy_eval",
        "reference": reference,
        "create_policy": device,
        "ten_statements": ten,
        "regex_cache_entries": wildcard.compiled.cache_info().currsize,
        "targets_met": {"50_us_per_check": worst <= 50},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.policy_eval")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--checks", type=int, default=20000)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.rounds, args.checks), indent=2))


if __name__ == "__main__":
    main()
