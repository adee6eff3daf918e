"""The methods of simulated devices and subscriptions, and their notifications, agree with the
contract: real results and params from the emulator, through the service's method table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import zaws.errors
from tests.protocol.contract import assert_params_match, assert_result_matches, methods
from tests.service.collected import Collected
from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things
from zaws.operations.mqtt_publish import publish_message
from zaws.service.background import Background
from zaws.service.methods import CallContext, call
from zaws.service.uris import InvalidParams, uri_from_path

BACKGROUND_METHODS = (
    "zaws/startDevices",
    "zaws/stopDevices",
    "zaws/listDevices",
    "zaws/checkDevice",
    "zaws/subscribe",
    "zaws/unsubscribe",
)


@pytest.fixture
def served(aws: AwsSettings) -> Iterator[tuple[CallContext, Collected]]:
    collected = Collected()  # validates each notification against the contract
    background = Background.create(collected)
    yield CallContext(aws=aws, background=background), collected
    background.stop_all()


def run(name: str, params: dict[str, Any], ctx: CallContext) -> Any:
    assert_params_match(name, params)
    result = call(name, params, ctx)
    assert_result_matches(name, result)
    return result


def test_they_are_in_the_contract() -> None:
    assert set(BACKGROUND_METHODS) <= set(methods())


def test_real_results_and_notifications_validate(
    project: Path, aws: AwsSettings, served: tuple[CallContext, Collected]
) -> None:
    ctx, collected = served
    add_things(project, aws=aws, base_name="board", count=2)
    uri = uri_from_path(project)
    watch = run("zaws/subscribe", {"projectUri": uri, "filters": ["board_0/#"], "qos": 0}, ctx)
    assert watch["subscriptions"] == [{"filter": "board_0/#", "grantedQos": 0}]
    started = run(
        "zaws/startDevices",
        {"projectUri": uri, "thingNames": ["board_0"], "every": 0.5, "fotaResult": "reject"},
        ctx,
    )
    collected.wait_for("zaws/deviceEvent", lambda p: p["kind"] == "published")
    collected.wait_for("zaws/message", lambda p: p["topic"] == "board_0/samples")
    listed = run("zaws/listDevices", {"projectUri": uri}, ctx)
    assert listed["devices"][0]["fotaResult"] == "reject"
    assert listed["devices"][0]["lastEvent"] is not None
    run("zaws/stopDevices", {"sessionId": started["sessionId"]}, ctx)
    publish_message(project, "board_0/commands", b"\xff", aws=aws, qos=1)
    binary = collected.wait_for("zaws/message", lambda p: p["topic"] == "board_0/commands")
    assert binary["payloadText"] is None and binary["payloadBase64"] == "/w=="
    run("zaws/unsubscribe", {"subscriptionId": watch["subscriptionId"]}, ctx)
    checked = run("zaws/checkDevice", {"projectUri": uri, "thingName": "board_1"}, ctx)
    assert checked["ok"] is True and checked["clientId"] == "board_1"


@pytest.mark.parametrize(
    ("method", "params", "error"),
    [
        ("zaws/startDevices", {"allThings": True, "thingNames": ["a"]}, InvalidParams),
        ("zaws/startDevices", {"every": 0}, InvalidParams),
        ("zaws/startDevices", {"thingNames": ["nope"]}, zaws.errors.NotFound),
        ("zaws/stopDevices", {}, InvalidParams),
        ("zaws/stopDevices", {"thingNames": ["board_0"], "all": True}, InvalidParams),
        ("zaws/subscribe", {"filters": []}, InvalidParams),
        ("zaws/subscribe", {"filters": list("abcdefghi")}, zaws.errors.InvalidInput),
        ("zaws/subscribe", {"filters": ["a"], "qos": 2}, InvalidParams),
        ("zaws/unsubscribe", {"subscriptionId": "messages-nope"}, zaws.errors.NotFound),
    ],
)
def test_refusals_are_the_errors_the_contract_lists(
    project: Path,
    served: tuple[CallContext, Collected],
    method: str,
    params: dict[str, Any],
    error: type[zaws.errors.ZawsError],
) -> None:
    ctx, _ = served
    if method in ("zaws/startDevices", "zaws/subscribe"):
        params = {"projectUri": uri_from_path(project), **params}
    with pytest.raises(error) as caught:
        call(method, params, ctx)
    listed = {ref["$ref"].rsplit("/", 1)[-1] for ref in methods()[method]["errors"]}
    documented = {
        "InvalidParams" if caught.value.rpc_code == -32602 else type(caught.value).__name__
    }
    assert documented <= listed
