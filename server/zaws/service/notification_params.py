"""The server-to-client notifications of background work, as protocol/openrpc.json names them.

Simulated devices and topic subscriptions outlive the request that started them; what they report
reaches the client as notifications. Both servers send exactly these params (built here), each
through its own transport (`Notify`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from zaws.devices.events import DeviceEvent
from zaws.errors import ZawsError
from zaws.mqtt.messages import NOT_PARSED, MqttMessage
from zaws.service.results import camel

DEVICE_EVENT = "zaws/deviceEvent"
MESSAGE = "zaws/message"
SUBSCRIPTION_ENDED = "zaws/subscriptionEnded"

Notify = Callable[[str, dict[str, Any]], None]  # (method, params); callable from any thread


def iso_time(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).astimezone().isoformat(timespec="milliseconds")


def device_event_params(session_id: str, project_uri: str, event: DeviceEvent) -> dict[str, Any]:
    """The event `zaws -J device run` prints, with its session; facts' keys in camelCase, their
    values (payloads, shadow states) verbatim; a job event's id and status at the top."""
    data = {camel(key): value for key, value in event.data.items()}
    params: dict[str, Any] = {
        "sessionId": session_id,
        "projectUri": project_uri,
        "thing": event.thing,
        "kind": event.kind,
        "text": event.text,
        "time": iso_time(event.at),
    }
    if event.kind == "job":
        params["jobId"] = str(data.pop("jobId", ""))
        params["status"] = str(data.pop("status", ""))
    params["data"] = data
    return params


def message_params(subscription_id: str, message: MqttMessage) -> dict[str, Any]:
    text = message.text()
    params: dict[str, Any] = {
        "subscriptionId": subscription_id,
        "topic": message.topic,
        "payloadText": text,
    }
    value = message.json_value()
    if value is not NOT_PARSED:
        params["payloadJson"] = value
    if text is None:
        params["payloadBase64"] = base64.b64encode(message.payload).decode()
    params.update(
        size=len(message.payload),
        qos=message.qos,
        retain=message.retain,
        time=iso_time(message.received_at),
    )
    return params


def subscription_ended_params(
    subscription_id: str, received: int, error: ZawsError
) -> dict[str, Any]:
    return {"subscriptionId": subscription_id, "received": received, "error": error.to_dict()}
