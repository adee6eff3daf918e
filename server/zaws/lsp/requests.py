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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pygls.exceptions import JsonRpcException

from zaws.errors import ConfirmationRequired, InvalidInput, NotFound, OperationCancelled, ZawsError
from zaws.lsp.progress import WorkDone
from zaws.operations.progress import Cancellation
from zaws.service.methods import METHODS, CallContext, Method, call
from zaws.service.uris import InvalidParams, path_from_uri

if TYPE_CHECKING:
    from zaws.lsp.server import ZawsLanguageServer

log = logging.getLogger(__name__)

# Failures raised before anything changed: no zaws/fotaJobsChanged after them.
NOTHING_DONE = (InvalidInput, NotFound, ConfirmationRequired)  # InvalidParams too
# Refused on the request itself, before any file could change: no zaws/thingsChanged.
REFUSED_AS_ASKED = (InvalidParams, ConfirmationRequired)
INTERNAL_ERROR = -32603


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
    nothing_done = False  # refused before any change: no zaws/thingsChanged
    changed_jobs = False  # a failure after a job was started or changed
    try:
        if method.long:
            progress = await WorkDone.start(ls, params, method.title, cancel)
        context = CallContext(
            aws=ls.settings.aws(),
            progress=progress.report if progress else None,
            cancel=cancel,
            background=ls.background if method.uses_background else None,
        )
        worker = asyncio.ensure_future(asyncio.to_thread(call, method.name, params, context))
        result: dict[str, Any] = await _until_done(worker, cancel)
        outcome = "Done"
        return result
    except OperationCancelled as err:
        outcome = "Cancelled"
        raise as_jsonrpc(err) from None
    except ZawsError as err:
        nothing_done = isinstance(err, REFUSED_AS_ASKED)
        changed_jobs = not isinstance(err, NOTHING_DONE)
        raise as_jsonrpc(err) from None
    except Exception as err:  # a bug: its traceback goes to the log, never to the client
        log.exception("zaws/%s failed", method.name)
        raise JsonRpcException(
            message=f"Internal error in zaws ({type(err).__name__}); the server log has details",
            code=INTERNAL_ERROR,
        ) from None
    finally:
        ls.in_flight.discard(cancel)
        if progress is not None:
            progress.end(outcome)
        if method.changes_things and not nothing_done:
            _announce(ls, params)
        if method.changes_jobs and (outcome != "Failed" or changed_jobs):
            _announce_jobs(ls, params)


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
    folder = _project_of(params)
    if folder is not None:
        ls.things_changed(folder)


def _announce_jobs(ls: ZawsLanguageServer, params: Any) -> None:
    """zaws/fotaJobsChanged for the request's project, and for the watched projects that record
    the job (a cancel names no project)."""
    roots = [root for root in [_project_of(params)] if root is not None]
    job_id = params.get("jobId") if isinstance(params, dict) else None
    if isinstance(job_id, str):
        watched = [root for root in ls.watcher.watched() if root not in roots]
        roots += _recording(watched, job_id)  # a small JSON read per watched project
    for root in roots:
        ls.fota_jobs_changed(root)


def _recording(roots: list[Path], job_id: str) -> list[Path]:
    from zaws.project.fota_jobs_record import FotaJobsRecord

    found = []
    for root in roots:
        try:
            if FotaJobsRecord(root).get(job_id) is not None:
                found.append(root)
        except ZawsError:  # a broken record: its project's view shows the error itself
            continue
    return found


def _project_of(params: Any) -> Path | None:
    uri = params.get("projectUri") if isinstance(params, dict) else None
    if not isinstance(uri, str):
        return None
    try:
        folder = path_from_uri(uri)
    except ZawsError:
        return None
    return folder.resolve() if folder.is_dir() else None
