"""main.py's topics against the active thing's policies, through a real LSP client on the emulator:
a publish to dev/sample gives a warning on policy_name; its quick fix adds a policy version and the
warning goes away."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session, codes, start_session, stop_session
from zaws.aws.settings import AwsSettings
from zaws.operations.add_things import add_things

CODE = "policy-topic-refused"
PUBLISH_DEV_SAMPLE = '\nthing.mqtt.publish("dev/sample", json.dumps({"t": 1}))\n'


def refused(diagnostics: Any) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.code == CODE]


def read_code_actions_as_vs_code_does(session: Session) -> None:
    """lsprotocol's client hook reads any object with a `command` member as a Command, so a
    CodeAction that carries its command would come back as a Command with the action's JSON as its
    command id; VS Code tells them apart by the type of `command`, as this hook then does."""
    converter = session.client.protocol._converter

    def code_action_or_command(value: Any, _: type) -> types.Command | types.CodeAction:
        if isinstance(value.get("command"), str):
            return converter.structure(value, types.Command)
        return converter.structure(value, types.CodeAction)

    converter.register_structure_hook(
        types.Command | types.CodeAction,
        code_action_or_command,  # type: ignore[arg-type]
    )


async def code_actions(
    session: Session, uri: str, diagnostics: list[types.Diagnostic]
) -> list[types.CodeAction]:
    read_code_actions_as_vs_code_does(session)
    answer = await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    return [a for a in answer or [] if isinstance(a, types.CodeAction)]


async def test_a_publish_the_policy_refuses_is_warned_and_fixed_by_the_quick_fix(
    aws: AwsSettings, zaws_home: Path, project: Path, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="dev")
    main = project / "main.py"
    template_lines = main.read_text().count("\n")
    main.write_text(main.read_text() + PUBLISH_DEV_SAMPLE)
    session = await start_session(zaws_home, options={"remoteChecks": True})
    try:
        uri = session.open(project / "thing.conf.json")
        text = (project / "thing.conf.json").read_text()
        warned = refused(await session.diagnostics(uri, lambda d: bool(refused(d))))
        assert [d.message for d in warned] == [
            f"main.py publishes to dev/sample (line {template_lines + 2}): policy device-policy "
            "does not allow it; AWS IoT would disconnect the device"
        ]  # the template's own topics (<thing>/samples, <thing>/commands) are allowed
        assert warned[0].severity == types.DiagnosticSeverity.Warning
        line = text.splitlines()[warned[0].range.start.line]
        start, end = warned[0].range.start.character, warned[0].range.end.character
        assert line[start:end] == '"device-policy"'

        [action] = await code_actions(session, uri, warned)
        assert action.title == "Allow publishing to dev/sample in policy device-policy"
        assert action.kind == types.CodeActionKind.QuickFix and action.command is not None
        added = await session.client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command=action.command.command, arguments=action.command.arguments
            )
        )
        assert added is not None

        await session.diagnostics(
            uri, lambda d: not refused(d) and "remote-policy-missing" not in codes(d)
        )
        versions = boto("iot").list_policy_versions(policyName="device-policy")["policyVersions"]
        assert [v["versionId"] for v in versions if v["isDefaultVersion"]] == ["2"]
        document = json.loads(boto("iot").get_policy(policyName="device-policy")["policyDocument"])
        assert {
            "Effect": "Allow",
            "Action": ["iot:Publish"],
            "Resource": ["arn:aws:iot:*:*:topic/dev/sample"],
        } in document["Statement"]
    finally:
        await stop_session(session)


async def test_a_topic_built_from_the_thing_name_is_fixed_for_every_thing(
    aws: AwsSettings, zaws_home: Path, project: Path, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="dev")
    main = project / "main.py"
    main.write_text(
        main.read_text() + '\nthing.mqtt.publish("fleet/" + config["thingname"], "x")\n'
    )
    session = await start_session(zaws_home, options={"remoteChecks": True})
    try:
        uri = session.open(project / "thing.conf.json")
        warned = refused(await session.diagnostics(uri, lambda d: bool(refused(d))))
        assert "main.py publishes to fleet/dev_0 " in warned[0].message
        [action] = await code_actions(session, uri, warned)
        assert action.title == "Allow publishing to fleet/<thing> in policy device-policy"
        assert action.command is not None
        await session.client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command=action.command.command, arguments=action.command.arguments
            )
        )
        await session.diagnostics(uri, lambda d: not refused(d))
        document = json.loads(boto("iot").get_policy(policyName="device-policy")["policyDocument"])
        resources = [r for s in document["Statement"] for r in s["Resource"]]
        assert "arn:aws:iot:*:*:topic/fleet/${iot:Connection.Thing.ThingName}" in resources
    finally:
        await stop_session(session)


async def test_an_edit_of_main_py_in_the_editor_is_judged_at_once(
    aws: AwsSettings, zaws_home: Path, project: Path
) -> None:
    add_things(project, aws=aws, base_name="dev")
    main = project / "main.py"
    template = main.read_text()
    session = await start_session(zaws_home, options={"remoteChecks": True})
    try:
        uri = session.open(project / "thing.conf.json")
        await session.diagnostics(uri, lambda d: "remote-endpoint-foreign" in codes(d))
        assert refused(session.published[uri].diagnostics) == []  # the template's topics
        main_uri = session.open(main, template)
        session.change(main_uri, template + PUBLISH_DEV_SAMPLE)  # not saved: the editor's text
        warned = refused(await session.diagnostics(uri, lambda d: bool(refused(d))))
        assert "main.py publishes to dev/sample" in warned[0].message
        session.change(main_uri, template)
        await session.diagnostics(uri, lambda d: not refused(d))
    finally:
        await stop_session(session)


async def test_the_command_refuses_bad_arguments_and_names_a_missing_policy(
    session: Session,
) -> None:
    def run(arguments: list[Any]) -> Any:
        return session.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="zaws.allowPolicyTopics", arguments=arguments)
        )

    for bad in ([], [{"policyName": "p"}], [{"policyName": "p", "publish": "dev/sample"}]):
        with pytest.raises(JsonRpcException) as refused:
            await run(bad)
        assert refused.value.code == -32602 and "zaws.allowPolicyTopics" in str(refused.value)
    with pytest.raises(JsonRpcException) as missing:
        await run([{"policyName": "ghost", "publish": ["dev/sample"]}])
    assert missing.value.code == -32013 and "'ghost' does not exist" in str(missing.value)


async def test_quick_fixes_run_together_each_keep_the_others_statements(
    session: Session, policy: str, boto: Any
) -> None:
    """Four fixes sent at once (as a user clicking through four warnings): the command runs one at
    a time, so each new version starts from the one before and the last has all four topics."""
    topics = [f"fleet/{n}" for n in range(4)]
    answers = await asyncio.gather(
        *(
            session.client.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command="zaws.allowPolicyTopics",
                    arguments=[{"policyName": policy, "publish": [topic], "policyVersion": "1"}],
                )
            )
            for topic in topics
        )
    )
    document = json.loads(boto("iot").get_policy(policyName=policy)["policyDocument"])
    resources = [r for s in document["Statement"] for r in s["Resource"]]
    assert [t for t in topics if f"arn:aws:iot:*:*:topic/{t}" not in resources] == []
    assert sorted(a["versionId"] for a in answers) == ["2", "3", "4", "5"]
    assert sorted(a["basedOn"] for a in answers) == ["1", "2", "3", "4"]


async def test_the_command_never_runs_twice_at_once(
    aws: AwsSettings, policy: str, boto: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first fix is held inside the operation until a second one starts (or 2 s pass, which
    is what one at a time looks like): a second run inside at the same time would read the same
    version as the first and lose its statements."""
    from zaws.lsp.policy_fixes import allow_policy_topics
    from zaws.lsp.server import build_server
    from zaws.operations import policy_versions

    real = policy_versions.add_policy_statements
    inside: list[str] = []
    overlapped: list[list[str]] = []
    second_started = threading.Event()

    def held(name: str, statements: Any, *, aws: AwsSettings, seen_version: Any) -> Any:
        topic = statements[0]["Resource"][0]
        if inside:
            overlapped.append([*inside, topic])
            second_started.set()
        inside.append(topic)
        try:
            if len(inside) == 1 and not second_started.is_set() and "first" in topic:
                second_started.wait(timeout=2)
            return real(name, statements, aws=local, seen_version=seen_version)
        finally:
            inside.remove(topic)

    local = aws
    monkeypatch.setattr(policy_versions, "add_policy_statements", held)
    server = build_server()
    first = asyncio.ensure_future(
        allow_policy_topics(server, {"policyName": policy, "publish": ["first"]})
    )
    second = asyncio.ensure_future(
        allow_policy_topics(server, {"policyName": policy, "publish": ["second"]})
    )
    answers = await asyncio.gather(first, second)
    assert overlapped == []
    assert [a["versionId"] for a in answers] == ["2", "3"]
    document = json.loads(boto("iot").get_policy(policyName=policy)["policyDocument"])
    resources = [r for s in document["Statement"] for r in s["Resource"]]
    assert {"arn:aws:iot:*:*:topic/first", "arn:aws:iot:*:*:topic/second"} <= set(resources)
