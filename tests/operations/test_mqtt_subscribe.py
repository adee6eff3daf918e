"""`watch_topics` end to end on the emulator's MQTT endpoint: messages between a thing and the
user's identity, --count, --for, cancel, and refused subscriptions explained by the policy."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.mqtt.emulator_endpoint import require_mqtt_endpoint
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput, ZawsError
from zaws.mqtt.messages import MqttMessage
from zaws.operations.add_things import add_things
from zaws.operations.mqtt_publish import publish_message
from zaws.operations.mqtt_subscribe import WatchEnded, check_filters, watch_topics
from zaws.operations.progress import Cancellation

WAIT_S = 30


class Watch:
    """watch_topics in a thread of its own; `subscribed` is set once its SUBACK is in."""

    def __init__(self, project: Path, filters: list[str], aws: AwsSettings, **options: Any):
        self.messages: list[MqttMessage] = []
        self.subscribed = threading.Event()
        self.result: WatchEnded | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(project, filters, aws, options), daemon=True
        )
        self._thread.start()

    def _run(self, project: Path, filters: list[str], aws: AwsSettings, options: Any) -> None:
        try:
            self.result = watch_topics(
                project,
                filters,
                aws=aws,
                on_message=self.messages.append,
                on_subscribed=lambda *_: self.subscribed.set(),
                **options,
            )
        except BaseException as err:
            self.error = err
            self.subscribed.set()

    def ready(self) -> None:
        assert self.subscribed.wait(WAIT_S), "the watch did not subscribe"
        if self.error is not None:
            raise self.error

    def end(self) -> WatchEnded:
        self._thread.join(WAIT_S)
        assert not self._thread.is_alive(), "the watch did not end"
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


@pytest.fixture
def device(project: Path, aws: AwsSettings) -> Path:
    """A project with one thing, sensor_0, under the least-privilege device policy."""
    require_mqtt_endpoint(aws.home)
    add_things(project, aws=aws, base_name="sensor", count=1)
    return project


def test_a_thing_publishes_and_the_user_receives(device: Path, aws: AwsSettings) -> None:
    watch = Watch(device, ["sensor_0/#"], aws, count=1)
    watch.ready()
    publish_message(device, "sensor_0/data", b'{"t": 21.5}', aws=aws, thing="sensor_0", qos=1)
    ended = watch.end()
    assert (ended.stopped_by, ended.received) == ("count", 1)
    assert ended.client_id.startswith("zaws-")  # the user's own client id, not the device's
    [message] = watch.messages
    assert (message.topic, message.json_value(), message.qos) == ("sensor_0/data", {"t": 21.5}, 1)


def test_the_user_publishes_and_a_thing_receives(device: Path, aws: AwsSettings) -> None:
    watch = Watch(device, ["sensor_0/cmd"], aws, count=2, thing="sensor_0")
    watch.ready()
    publish_message(device, "sensor_0/cmd", b"reboot", aws=aws)  # QoS 0
    publish_message(device, "sensor_0/cmd", b"\xff\x00", aws=aws, qos=1)
    ended = watch.end()
    assert ended.client_id == "sensor_0"
    assert [m.payload for m in watch.messages] == [b"reboot", b"\xff\x00"]


def test_for_bounds_a_watch(device: Path, aws: AwsSettings) -> None:
    ended = watch_topics(device, ["sensor_0/#"], aws=aws, on_message=print, duration=0.5)
    assert (ended.stopped_by, ended.received) == ("time", 0)
    assert ended.seconds >= 0.5


def test_cancel_stops_a_watch(device: Path, aws: AwsSettings) -> None:
    cancel = Cancellation()
    watch = Watch(device, ["sensor_0/#"], aws, cancel=cancel)
    watch.ready()
    cancel.cancel()
    assert watch.end().stopped_by == "cancel"


def test_a_refused_subscription_is_explained_by_the_policy(device: Path, aws: AwsSettings) -> None:
    with pytest.raises(ZawsError) as refused:
        watch_topics(device, ["other/#"], aws=aws, on_message=print, thing="sensor_0", count=1)
    assert (
        "policy device-policy does not allow subscribing to other/# "
        "(iot:Subscribe on topicfilter/other/#)" in refused.value.message
    )
    assert "thing sensor_0" in refused.value.message


def test_an_inactive_certificate_is_refused_with_a_clear_message(
    device: Path, aws: AwsSettings, boto: Any
) -> None:
    from zaws.project.thing_project import ThingProject

    cert_id = ThingProject.open(device).thing("sensor_0").cert_id
    boto("iot").update_certificate(certificateId=cert_id, newStatus="INACTIVE")
    with pytest.raises(ZawsError) as refused:
        watch_topics(device, ["sensor_0/#"], aws=aws, on_message=print, thing="sensor_0")
    assert "refused the connection of thing sensor_0" in refused.value.message
    assert "is INACTIVE, and AWS IoT accepts only ACTIVE certificates" in refused.value.message
    assert f"--certificate-id {cert_id} --new-status ACTIVE" in (refused.value.hint or "")


@pytest.mark.parametrize(
    ("filters", "words"),
    [
        ([], "at least one"),
        (["a/#/b"], "# must be a whole level"),
        (["a/b+"], "+ must be a whole level"),
        ([f"t/{n}" for n in range(9)], "at most 8 filters"),
    ],
)
def test_filters_aws_would_refuse_are_refused_before_connecting(
    filters: list[str], words: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(words)):
        check_filters(filters)
