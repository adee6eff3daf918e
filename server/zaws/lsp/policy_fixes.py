"""The quick fix for main.py's refused topics: allow them in the policy, as a new policy version.

Flow: the client asks `textDocument/codeAction` for a range of thing.conf.json with the
diagnostics there; each `policy-topic-refused` warning whose data carries a fix (a Deny has none)
gets a quick fix whose command, `zaws.allowPolicyTopics`, names the policy and the permissions.
The server owns that command (it is in executeCommandProvider, so VS Code registers it and sends
`workspace/executeCommand`); running it adds the statements to the policy off the event loop
(operations/policy_versions: CreatePolicyVersion, at most 5 versions), then fetches the project's
remote facts again, so the warning goes once AWS has the new default version.

The command runs one at a time per server: each run reads the policy's default version, adds to
it and makes the next one, so two quick fixes run together would both start from version N and
the second new version would lack the first's statements. The fix names the default version its
diagnostic saw (`policyVersion`); the operation merges into the current one when it changed since.
"""

from __future__ import annotations

import asyncio
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from zaws.checks.topic_permissions import CODE, THING_VARIABLE
from zaws.lsp.documents import config_path
from zaws.service.uris import uri_from_path

if TYPE_CHECKING:
    from zaws.lsp.server import ZawsLanguageServer

ALLOW_POLICY_TOPICS = "zaws.allowPolicyTopics"
KINDS = ("publish", "subscribe", "receive")
WORDS = {"publish": "publishing to", "subscribe": "subscribing to", "receive": "receiving"}
_one_at_a_time: weakref.WeakKeyDictionary[LanguageServer, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def register(server: ZawsLanguageServer) -> None:
    options = types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])
    server.feature(types.TEXT_DOCUMENT_CODE_ACTION, options)(code_actions)
    server.command(ALLOW_POLICY_TOPICS)(allow_policy_topics)


def code_actions(ls: ZawsLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    path = config_path(params.text_document.uri)
    if path is None:
        return []
    actions = []
    for diagnostic in params.context.diagnostics:
        fix = _plain(diagnostic.data)
        if diagnostic.code != CODE or not isinstance(fix, dict) or "policyName" not in fix:
            continue
        title = f"Allow {_wanted(fix)} in policy {fix['policyName']}"
        argument = {"projectUri": uri_from_path(path.parent), **fix}
        actions.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=True,
                command=types.Command(
                    title=title, command=ALLOW_POLICY_TOPICS, arguments=[argument]
                ),
            )
        )
    return actions


async def allow_policy_topics(ls: LanguageServer, *arguments: Any) -> dict[str, Any]:
    """Add the permissions of `arguments[0]` to its policy; answers PolicyVersionAdded."""
    from zaws.errors import ZawsError
    from zaws.lsp.requests import as_jsonrpc
    from zaws.operations.policy_topics import TOPIC, TOPICFILTER, permission_statements
    from zaws.operations.policy_versions import add_policy_statements
    from zaws.service.results import to_protocol
    from zaws.service.uris import path_from_uri

    server = cast("ZawsLanguageServer", ls)
    spec = _spec(arguments)
    statements = permission_statements(
        publish=[f"{TOPIC}/{t}" for t in spec["publish"]],
        receive=[f"{TOPIC}/{t}" for t in spec["receive"]],
        subscribe=[f"{TOPICFILTER}/{t}" for t in spec["subscribe"]],
    )
    aws = server.settings.aws()
    lock = _one_at_a_time.setdefault(server, asyncio.Lock())
    try:
        async with lock:  # the next run reads the version this one makes
            added = await asyncio.to_thread(
                add_policy_statements,
                spec["policyName"],
                statements,
                aws=aws,
                seen_version=spec.get("policyVersion"),
            )
    except ZawsError as err:
        raise as_jsonrpc(err) from None
    project = spec.get("projectUri")
    if isinstance(project, str):
        root = Path(path_from_uri(project, name="projectUri"))
        server.diagnostics.remote_changed(root.resolve())
    return dict(to_protocol(added.to_dict()))


def _spec(arguments: tuple[Any, ...]) -> dict[str, Any]:
    spec = _plain(arguments[0]) if arguments else None
    if not isinstance(spec, dict) or not isinstance(spec.get("policyName"), str):
        raise JsonRpcInvalidParams.of(
            ValueError(f"{ALLOW_POLICY_TOPICS} takes one object with policyName and the topics")
        )
    if not isinstance(spec.get("policyVersion", ""), str):
        raise JsonRpcInvalidParams.of(
            ValueError(f"{ALLOW_POLICY_TOPICS}: policyVersion must be a version id")
        )
    for kind in KINDS:
        topics = spec.setdefault(kind, [])
        if not isinstance(topics, list) or not all(isinstance(t, str) and t for t in topics):
            raise JsonRpcInvalidParams.of(
                ValueError(f"{ALLOW_POLICY_TOPICS}: {kind} must be a list of topics")
            )
    if not any(spec[kind] for kind in KINDS):
        raise JsonRpcInvalidParams.of(ValueError(f"{ALLOW_POLICY_TOPICS}: no topic to allow"))
    return spec


def _wanted(fix: dict[str, Any]) -> str:
    parts = [
        f"{WORDS[kind]} {topic.replace(THING_VARIABLE, '<thing>')}"
        for kind in KINDS
        for topic in fix.get(kind) or []
        if isinstance(topic, str)
    ]
    return ", ".join(parts) or "the topics"


def _plain(value: Any) -> Any:
    """Client data as plain dicts and lists (a converter may hand over named tuples)."""
    if hasattr(value, "_asdict"):
        return {key: _plain(item) for key, item in value._asdict().items()}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
