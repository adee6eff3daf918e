"""`zaws device check`: will this thing's board connect, and may it do what its firmware does?

Connects as the thing (its key, certificate and mqttid, on the project's endpoint) and tries for
real each thing the template and the library do: connect; publish to `<thing>/samples` and
`<thing>/commands` and receive the echo; the library's jobs request (`jobs/get`, answered on
`jobs/get/accepted`) and its notify subscription; the shadow's update and delta (a desired
`zaws_check` value is set, its delta received, then cleared). Each step says in words what worked;
a failure on the emulator is explained by the policy evaluator, naming the statement missing.
Against AWS it also asks AWS IoT's TestAuthorization (untested here: the emulator lacks it).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zaws.aws.settings import AwsSettings
from zaws.devices.topics import DeviceTopics
from zaws.errors import ProjectError, ZawsError

if TYPE_CHECKING:
    from zaws.mqtt.connection import MqttConnection
    from zaws.operations.mqtt_connect import MqttTarget

WAIT_S = 10.0
Asked = tuple[str, str]  # ("subscribe" | "publish" | "receive", topic or filter)


@dataclass(frozen=True)
class CheckStep:
    name: str  # "connect", "samples", "commands", "jobs", "shadow"
    ok: bool
    words: str
    why: list[str] = field(default_factory=list)  # the policy's refusals, when known


@dataclass
class DeviceCheck:
    thing: str
    client_id: str
    endpoint: str
    steps: list[CheckStep]
    authorization: list[str]  # TestAuthorization's answers on AWS, or why it was not asked

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "thing": self.thing,
            "client_id": self.client_id,
            "endpoint": self.endpoint,
            "ok": self.ok,
            "steps": [asdict(step) for step in self.steps],
            "authorization": self.authorization,
        }


def check_device(
    project: Path, *, aws: AwsSettings, thing: str | None = None, timeout: float = WAIT_S
) -> DeviceCheck:
    from zaws.operations.mqtt_connect import resolve_target
    from zaws.project.thing_project import ThingProject

    name = thing or ThingProject.open(project).active_thing_name
    if name is None:
        raise ProjectError("The project has no active thing", "pass --thing NAME")
    target = resolve_target(project, aws=aws, thing=name)
    probe = _Probe(target, timeout)
    steps = [probe.connect()]
    if steps[0].ok:
        topics = DeviceTopics(_thing_name(target))
        steps.append(probe.echo("samples", topics.samples, topics.samples, topics.samples))
        steps.append(probe.echo("commands", topics.commands, topics.commands, topics.commands))
        steps.append(probe.jobs(topics))
        steps.append(probe.shadow(topics))
        probe.close()
    authorization = (
        ["on the emulator the policy evaluator explains each refusal (TestAuthorization is AWS's)"]
        if aws.local
        else _test_authorization(target)
    )
    return DeviceCheck(
        name, target.identity.client_id, target.endpoint.describe(), steps, authorization
    )


class _Probe:
    """One connection as the thing; connects again if the broker closed it after a refusal."""

    def __init__(self, target: MqttTarget, timeout: float) -> None:
        self.target = target
        self.timeout = timeout
        self.connection: MqttConnection | None = None
        self.token = secrets.token_hex(4)

    def connect(self) -> CheckStep:
        from zaws.operations.mqtt_connect import open_connection

        try:
            self.connection = open_connection(self.target, timeout=self.timeout)
        except ZawsError as err:
            return CheckStep("connect", False, f"may not connect: {err.message}")
        who = self.target.identity.client_id
        return CheckStep("connect", True, f"connects as client id {who}")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()

    def _live(self) -> MqttConnection | None:
        if self.connection is None or self.connection.disconnection is not None:
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            if not self.connect().ok:
                return None
        return self.connection

    def echo(self, name: str, topic_filter: str, topic: str, answer: str) -> CheckStep:
        body = {"zaws_check": self.token, "temperature": 20, "uptime_ms": 0}
        return self._try(name, [topic_filter], topic, body, answer, f"publish to {topic}")

    def jobs(self, topics: DeviceTopics) -> CheckStep:
        accepted = f"{topics.jobs_get}/accepted"
        return self._try(
            "jobs",
            [topics.jobs_notify, accepted],
            topics.jobs_get,
            {"clientToken": self.token},
            accepted,
            "ask for its jobs",
        )

    def shadow(self, topics: DeviceTopics) -> CheckStep:
        step = self._try(
            "shadow",
            [topics.shadow_delta],
            topics.shadow_update,
            {"state": {"desired": {"zaws_check": self.token}}},
            topics.shadow_delta,
            "update its shadow",
        )
        connection = self._live()
        if step.ok and connection is not None:  # clear what the check set
            clear = {"state": {"desired": {"zaws_check": None}, "reported": {"zaws_check": None}}}
            connection.publish(topics.shadow_update, json.dumps(clear).encode())
        return step

    def _try(
        self, name: str, filters: list[str], topic: str, body: Any, answer: str, doing: str
    ) -> CheckStep:
        """Subscribe, publish, and wait for the message on `answer`: each for real."""
        from zaws.mqtt.connection import MqttFailure

        requests = self._requests(filters, topic, answer)
        connection = self._live()
        if connection is None:
            return CheckStep(name, False, f"cannot {doing}: it may not connect again")
        try:
            outcomes = connection.subscribe(filters, qos=0, timeout=self.timeout)
        except MqttFailure as err:
            return self._failed(
                name, f"subscribing to {', '.join(filters)}: {err.message}", requests
            )
        refused = [o.topic_filter for o in outcomes if o.refused]
        if refused:
            return self._failed(name, f"may not subscribe to {', '.join(refused)}", requests)
        _drain(connection)
        try:
            connection.publish(topic, json.dumps(body).encode(), qos=0, timeout=self.timeout)
        except MqttFailure as err:
            return self._failed(name, f"publishing to {topic}: {err.message}", requests)
        deadline = time.monotonic() + self.timeout
        while (left := deadline - time.monotonic()) > 0:
            import queue

            try:
                message = connection.inbox.get(timeout=min(left, 0.5))
            except queue.Empty:
                if connection.disconnection is not None:
                    break
                continue
            if message.topic == answer:
                subscribed = ", ".join(filters)
                return CheckStep(
                    name,
                    True,
                    f"may {doing}: subscribed to {subscribed}, published to {topic}, "
                    f"received {answer}",
                )
        return self._failed(
            name,
            f"subscribed and published to {topic}, but nothing arrived on {answer} in "
            f"{self.timeout:g} s",
            requests,
        )

    def _requests(self, filters: list[str], topic: str, answer: str) -> list[Asked]:
        return [*(("subscribe", f) for f in filters), ("publish", topic), ("receive", answer)]

    def _failed(self, name: str, words: str, requests: list[Asked]) -> CheckStep:
        return CheckStep(name, False, words, _policy_refusals(self.target, requests))


def _thing_name(target: MqttTarget) -> str:
    assert target.thing is not None
    return target.thing.name


def _drain(connection: MqttConnection) -> None:
    import queue

    while True:
        try:
            connection.inbox.get_nowait()
        except queue.Empty:
            return


def _policy_refusals(target: MqttTarget, requests: list[Asked]) -> list[str]:
    """On the emulator: the policy evaluator's refusal of each request the step made."""
    if not target.settings.local:
        return []
    from zaws.iot_policy import IotArns
    from zaws.operations.mqtt_refusals import _thing_account

    account = _thing_account(target)
    if account is None or account.authorizer is None:
        return []
    arns = IotArns(account.region, account.account)
    found = []
    for action, name in requests:
        request = getattr(arns, action)(name)
        decision = account.authorizer.check_request(request)
        if not decision.allowed and decision.refusal() not in found:
            found.append(decision.refusal())
    return found


def _test_authorization(target: MqttTarget) -> list[str]:
    """AWS IoT's own answer (TestAuthorization). UNTESTED: the emulator does not implement it."""
    from botocore.exceptions import BotoCoreError, ClientError

    from zaws.aws.clients import AwsClients

    record = target.thing
    if record is None:
        return []
    region, account = record.cert_arn.split(":")[3:5]
    prefix = f"arn:aws:iot:{region}:{account}:"
    topics = DeviceTopics(_thing_name(target))
    checks = [
        ("CONNECT", f"client/{target.identity.client_id}"),
        ("PUBLISH", f"topic/{topics.samples}"),
        ("SUBSCRIBE", f"topicfilter/{topics.commands}"),
        ("RECEIVE", f"topic/{topics.commands}"),
        ("PUBLISH", f"topic/{topics.jobs_get}"),
        ("SUBSCRIBE", f"topicfilter/{topics.jobs_notify}"),
        ("SUBSCRIBE", f"topicfilter/{topics.jobs_get}/accepted"),
        ("RECEIVE", f"topic/{topics.jobs_get}/accepted"),
        ("PUBLISH", f"topic/{topics.shadow_update}"),
        ("SUBSCRIBE", f"topicfilter/{topics.shadow_delta}"),
        ("RECEIVE", f"topic/{topics.shadow_delta}"),
    ]
    auth_infos: Any = [{"actionType": a, "resources": [prefix + r]} for a, r in checks]
    try:
        answer = AwsClients(target.settings).iot.test_authorization(
            principal=record.cert_arn,
            clientId=target.identity.client_id,
            authInfos=auth_infos,
        )
    except (BotoCoreError, ClientError) as err:
        return [f"AWS IoT's TestAuthorization could not be asked: {err}"]
    lines = []
    for result in answer.get("authResults", []):
        info = result.get("authInfo", {})
        what = f"{info.get('actionType')} {', '.join(info.get('resources', []))}"
        lines.append(f"TestAuthorization: {what}: {result.get('authDecision')}")
    return lines
