"""The policy `zaws create-policy` writes, against what the Zerynth device library does on the wire.

The topics are those of ../shared/notes/zerynth-device-library.md (lib-aws-iot iot.py, jobs.py,
fota.py) and of the project template's main.py. A device must get all of them for its own thing
and none of another thing's.
"""

from __future__ import annotations

import pytest

from zaws.iot_policy import (
    Authorizer,
    ConnectionContext,
    IotArns,
    Request,
    ThingInfo,
    compile_policy,
)
from zaws.operations.create_policy import device_policy_document

ARNS = IotArns("eu-west-1", "123456789012")
JOB = "fota-sensor_1-1700000000"


def jobs_requests(thing: str) -> list[Request]:
    """jobs.py: list(), describe() and update() of both builds (plain and LWMQTT)."""
    jobs = f"$aws/things/{thing}/jobs"
    return [
        ARNS.subscribe(f"{jobs}/notify"),
        ARNS.receive(f"{jobs}/notify"),
        ARNS.subscribe(f"{jobs}/get/accepted"),
        ARNS.publish(f"{jobs}/get"),
        ARNS.receive(f"{jobs}/get/accepted"),
        ARNS.subscribe(f"{jobs}/{JOB}/get/accepted"),
        ARNS.publish(f"{jobs}/{JOB}/get"),
        ARNS.receive(f"{jobs}/{JOB}/get/accepted"),
        ARNS.subscribe(f"{jobs}/{JOB}/update/"),  # the plain build's literal filter
        ARNS.subscribe(f"{jobs}/{JOB}/update/#"),  # the LWMQTT build
        ARNS.publish(f"{jobs}/{JOB}/update"),
        ARNS.receive(f"{jobs}/{JOB}/update/accepted"),
        ARNS.receive(f"{jobs}/{JOB}/update/rejected"),
    ]


def shadow_requests(thing: str) -> list[Request]:
    """iot.py: update_shadow() and on_shadow_request()."""
    shadow = f"$aws/things/{thing}/shadow"
    return [
        ARNS.publish(f"{shadow}/update"),
        ARNS.subscribe(f"{shadow}/update/delta"),
        ARNS.receive(f"{shadow}/update/delta"),
    ]


def template_requests(thing: str) -> list[Request]:
    """The project template's main.py: samples out, commands in."""
    return [
        ARNS.subscribe(f"{thing}/commands"),
        ARNS.receive(f"{thing}/commands"),
        ARNS.publish(f"{thing}/samples"),
    ]


def device(
    thing: str = "sensor_1", client_id: str | None = None, topics: tuple[str, ...] = ()
) -> Authorizer:
    policy = compile_policy("zerynth-devices", device_policy_document(topics))
    return Authorizer([policy], ConnectionContext(client_id or thing, ThingInfo(thing)))


def refused(auth: Authorizer, requests: list[Request]) -> list[str]:
    return [d.refusal() for d in map(auth.check_request, requests) if not d.allowed]


def test_connect_jobs_and_template_topics_are_allowed() -> None:
    auth = device()
    wanted = [ARNS.connect("sensor_1"), *jobs_requests("sensor_1"), *template_requests("sensor_1")]
    assert refused(auth, wanted) == []


def test_shadow_topics_are_allowed() -> None:
    assert refused(device(), shadow_requests("sensor_1")) == []


def test_another_things_topics_are_refused() -> None:
    auth = device()
    other = [
        ARNS.connect("sensor_2"),
        *jobs_requests("sensor_2"),
        *shadow_requests("sensor_2"),
        *template_requests("sensor_2"),
    ]
    assert [auth.check_request(r).allowed for r in other] == [False] * len(other)


@pytest.mark.parametrize(
    "request_",
    [
        ARNS.subscribe("#"),
        ARNS.subscribe("$aws/things/+/jobs/notify"),
        ARNS.subscribe("+/commands"),
        ARNS.publish("dev/sample"),  # the library's examples' topic: not under the thing's name
        ARNS.publish("sensors"),
        ARNS.receive("$aws/events/presence/connected/sensor_2"),
        ARNS.publish("sensor_1"),  # the thing's name alone is not under "<thing>/"
    ],
)
def test_wider_requests_are_refused(request_: Request) -> None:
    assert not device().check_request(request_).allowed


def test_a_certificate_not_attached_to_the_named_thing_cannot_connect() -> None:
    # the client id names sensor_2, but the certificate is attached to sensor_1 only
    auth = device("sensor_1", client_id="sensor_2")
    assert not auth.check_request(ARNS.connect("sensor_2")).allowed
    assert not auth.check_request(ARNS.publish("sensor_1/samples")).allowed


def test_the_refusal_names_the_policy_and_the_topic() -> None:
    text = device().check_request(ARNS.publish("dev/sample")).refusal()
    assert text == (
        "policy zerynth-devices does not allow publishing to dev/sample (iot:Publish on"
        " topic/dev/sample)"
    )


def examples_requests() -> list[Request]:
    """The library's examples: samples to dev/sample (a project may also listen to it)."""
    return [
        ARNS.publish("dev/sample"),
        ARNS.subscribe("dev/sample"),
        ARNS.receive("dev/sample"),
    ]


def test_an_added_topic_is_allowed_beside_the_librarys_exact_list() -> None:
    auth = device(topics=("dev/sample",))
    wanted = [
        ARNS.connect("sensor_1"),
        *jobs_requests("sensor_1"),
        *shadow_requests("sensor_1"),
        *template_requests("sensor_1"),
        *examples_requests(),
    ]
    assert refused(auth, wanted) == []
    assert refused(device(), examples_requests()) != []  # not without the option


def test_an_added_topic_opens_nothing_else() -> None:
    auth = device(topics=("dev/sample",))
    others = [
        ARNS.publish("dev/sample/more"),
        ARNS.publish("dev/samples"),
        ARNS.subscribe("dev/#"),
        ARNS.publish("sensors"),
        *jobs_requests("sensor_2"),
        *shadow_requests("sensor_2"),
    ]
    assert [auth.check_request(r).allowed for r in others] == [False] * len(others)


def test_an_added_filter_allows_the_topics_it_covers() -> None:
    auth = device(topics=("dev/#",))
    wanted = [
        ARNS.subscribe("dev/#"),
        ARNS.receive("dev/sample"),
        ARNS.receive("dev/a/b"),
        ARNS.publish("dev/sample"),
    ]
    assert refused(auth, wanted) == []
    assert not auth.check_request(ARNS.publish("devices/x")).allowed
    assert not auth.check_request(ARNS.subscribe("dev/+")).allowed  # another filter
