"""The methods of simulated devices and topic subscriptions, and the device check.

Entries of the method table (`methods.METHODS`) like the others: params checked here, the work done
by the server's `Background` (devices and subscriptions outlive the request) or by the operation
(`device_check`). A front end without a Background (none today) is told so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zaws.errors import InvalidInput, ZawsError
from zaws.service.params import Params
from zaws.service.results import to_protocol
from zaws.service.uris import InvalidParams

if TYPE_CHECKING:
    from zaws.service.background import Background
    from zaws.service.methods import CallContext

EVERY_MAX_S = 3600


def start_devices(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.device_run import FOTA_RESULTS

    project = params.folder()
    things = params.strings("thingNames")
    all_things = params.boolean("allThings", default=False)
    if things is not None and all_things:
        raise InvalidParams("zaws/startDevices takes thingNames or allThings, not both")
    every = params.number("every", above=0, maximum=EVERY_MAX_S)
    asked = params.string("fotaResult") or "succeed"
    fota_result = next((r for r in FOTA_RESULTS if r == asked), None)
    if fota_result is None:
        raise InvalidParams(
            f"zaws/startDevices: fotaResult must be one of {', '.join(FOTA_RESULTS)}"
        )
    return _background(ctx).devices.start(
        project,
        aws=ctx.aws,
        things=things or (),
        all_things=all_things,
        every=every,
        fota_result=fota_result,
    )


def stop_devices(params: Params, ctx: CallContext) -> dict[str, Any]:
    session_id = params.string("sessionId")
    project = params.path("projectUri") if params.raw.get("projectUri") is not None else None
    things = params.strings("thingNames")
    everything = params.boolean("all", default=False)
    if sum([session_id is not None, project is not None, everything]) != 1:
        raise InvalidParams("zaws/stopDevices takes exactly one of sessionId, projectUri and all")
    if things is not None and project is None:
        raise InvalidParams("zaws/stopDevices: thingNames needs projectUri")
    return _background(ctx).devices.stop(
        session_id=session_id, project=project, things=things, everything=everything
    )


def list_devices(params: Params, ctx: CallContext) -> dict[str, Any]:
    project = params.path("projectUri") if params.raw.get("projectUri") is not None else None
    return _background(ctx).devices.listing(project)


def check_device(params: Params, ctx: CallContext) -> dict[str, Any]:
    from zaws.operations.device_check import check_device as run

    project = params.folder()
    checked = run(project, aws=ctx.aws, thing=params.string("thingName"))
    return dict(to_protocol(checked.to_dict()))


def subscribe(params: Params, ctx: CallContext) -> dict[str, Any]:
    project = params.folder()
    filters = params.strings("filters") or []
    if not filters:
        raise InvalidParams("zaws/subscribe needs filters: at least one topic filter")
    thing = params.string("thingName")
    qos = params.integer("qos", minimum=0, maximum=1)
    background = _background(ctx)
    if thing is not None and background.devices.running(project, thing):
        raise InvalidInput(
            f"{thing} runs as a simulated device in this server: subscribing with its client id "
            "would throw the device off",
            "subscribe as yourself (no thingName), or stop the device first",
        )
    return background.watches.subscribe(
        project, filters, aws=ctx.aws, thing=thing, qos=1 if qos is None else qos
    )


def unsubscribe(params: Params, ctx: CallContext) -> dict[str, Any]:
    return _background(ctx).watches.unsubscribe(params.required_string("subscriptionId"))


def _background(ctx: CallContext) -> Background:
    if ctx.background is None:
        raise ZawsError("This front end runs no simulated devices or subscriptions")
    return ctx.background
