"""The zaws/* requests: each entry of the service's method table as an async pygls feature.

An operation runs on a worker thread so the server keeps answering. `$/cancelRequest` and the
progress cancel button both set the operation's `Cancellation`; the request then waits for the
things in flight to finish (the state on disk stays resumable) and answers with the
request-cancelled error. A request cancelled after its operation could no longer stop gets its
result, as LSP allows.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from pygls.exceptions import JsonRpcException

from zaws.errors import OperationCancelled, ZawsError
from zaws.lsp.progress import WorkDone
from zaws.operations.progress import Cancellation
from zaws.service.methods import METHODS, CallContext, Method, call
from zaws.service.uris import path_from_uri

if TYPE_CHECKING:
    from zaws.lsp.server import ZawsLanguageServer

log = logging.getLogger(__name__)


def register(server: ZawsLanguageServer) -> None:
    for method in METHODS.values():
        server.feature(method.name)(_handler(method))


def _handler(method: Method) -> Any:
    async def handle(ls: ZawsLanguageServer, params: Any) -> dict[str, Any]:
        return await run_method(ls, method, params)

    handle.__name__ = handle.__qualname__ = "handle_" + method.name.replace("/", "_")
    return handle


async def run_method(ls: ZawsLanguageServer, method: Method, params: Any) -> dict[str, Any]:
    cancel = Cancellation()
    ls.in_flight.add(cancel)
    progress: WorkDone | None = None
    outcome = "Failed"
    try:
        if method.long:
            progress = await WorkDone.start(ls, params, method.title, cancel)
        context = CallContext(
            aws=ls.settings.aws(), progress=progress.report if progress else None, cancel=cancel
        )
        worker = asyncio.ensure_future(asyncio.to_thread(call, method.name, params, context))
        result: dict[str, Any] = await _until_done(worker, cancel)
        outcome = "Done"
        return result
    except OperationCancelled as err:
        outcome = "Cancelled"
        raise as_jsonrpc(err) from None
    except ZawsError as err:
        raise as_jsonrpc(err) from None
    finally:
        ls.in_flight.discard(cancel)
        if progress is not None:
            progress.end(outcome)
        if method.changes_things:
            _announce(ls, params)


async def _until_done(worker: asyncio.Future[dict[str, Any]], cancel: Cancellation) -> Any:
    """The worker's result; a cancelled request stops the operation and waits for it to stop."""
    while True:
        try:
            return await asyncio.shield(worker)
        except asyncio.CancelledError:
            if worker.done():
                raise
            cancel.cancel()


def as_jsonrpc(err: ZawsError) -> JsonRpcException:
    return JsonRpcException(message=err.one_line(), code=err.rpc_code, data=err.to_dict())


def _announce(ls: ZawsLanguageServer, params: Any) -> None:
    uri = params.get("projectUri") if isinstance(params, dict) else None
    if not isinstance(uri, str):
        return
    try:
        folder = path_from_uri(uri)
    except ZawsError:
        return
    if folder.is_dir():
        ls.things_changed(folder.resolve())
