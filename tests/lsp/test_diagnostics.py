"""Every thing.conf.json diagnostic through a real LSP client: code, severity, source and the
exact range (in the client's UTF-16 columns), on open documents and on the file on disk."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from tests.checks.conftest import make_credentials
from tests.lsp.conftest import Session, codes, start_session, stop_session
from zaws.service.uris import uri_from_path

_BREAK = re.compile(r"\r\n|\r|\n")


def offset(text: str, position: types.Position) -> int:
    starts = [0] + [m.end() for m in _BREAK.finditer(text)]
    start = starts[position.line]
    units = 0
    for index, char in enumerate(text[start:], start):
        if units >= position.character:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def covered(text: str, diagnostic: types.Diagnostic) -> str:
    return text[offset(text, diagnostic.range.start) : offset(text, diagnostic.range.end)]


def the(diagnostics: Sequence[types.Diagnostic], code: str) -> types.Diagnostic:
    matching = [d for d in diagnostics if d.code == code]
    assert len(matching) == 1, [(d.code, d.message) for d in diagnostics]
    assert matching[0].source == "zaws"
    return matching[0]


async def show(session: Session, uri: str, text: str) -> Sequence[types.Diagnostic]:
    session.change(uri, text)
    return await session.current_diagnostics(uri)


@pytest.fixture
async def things(session: Session, project: Path, project_uri: str) -> Path:
    """The project with things dev_0 (active) and dev_1, made on the emulator."""
    await session.request(
        "zaws/addThings", {"projectUri": project_uri, "baseName": "dev", "count": 2}
    )
    return project


def config(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project / "thing.conf.json").read_text())
    return data


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=4)


DOCUMENT_CASES = [
    # (code, severity, text, what the range covers)
    ("invalid-json", 1, '{\n  "endpoint": "x",,\n}', ","),
    ("not-object", 1, '[\n  "endpoint"\n]', '[\n  "endpoint"\n]'),
    ("missing-key", 1, '{"endpoint": "abc-ats.iot.us-east-1.amazonaws.com"}', "{"),
    ("empty-value", 1, '{"endpoint": "", "policy_name": "device-policy"}', '""'),
    ("wrong-type", 1, '{"endpoint": 5, "policy_name": "device-policy"}', "5"),
    (
        "endpoint-invalid",
        1,
        '{"endpoint": "https://x.example.com", "policy_name": "p"}',
        '"https://x.example.com"',
    ),
    (
        "endpoint-legacy",
        2,
        '{"endpoint": "abc.iot.us-east-1.amazonaws.com", "policy_name": "p"}',
        '"abc.iot.us-east-1.amazonaws.com"',
    ),
    (
        "endpoint-region",
        2,
        '{"endpoint": "abc-ats.iot.eu-west-1.amazonaws.com", "policy_name": "p"}',
        '"abc-ats.iot.eu-west-1.amazonaws.com"',
    ),
    (
        "unknown-key",
        2,
        '{"endpoint": "abc-ats.iot.us-east-1.amazonaws.com", "policy_nam": "p"}',
        '"policy_nam"',
    ),
    (
        "duplicate-key",
        2,
        '{"endpoint": "abc-ats.iot.us-east-1.amazonaws.com", "policy_name": "p",'
        ' "policy_name": "q"}',
        '"policy_name"',
    ),
]


async def test_document_checks(session: Session, project: Path, subtests: Any) -> None:
    uri = session.open(project / "thing.conf.json")
    assert await session.current_diagnostics(uri) == []
    for code, severity, text, expected in DOCUMENT_CASES:
        with subtests.test(msg=code):
            diagnostic = the(await show(session, uri, text), code)
            assert diagnostic.severity == severity
            assert covered(text, diagnostic) == expected


async def test_unknown_key_says_did_you_mean(session: Session, project: Path) -> None:
    uri = session.open(project / "thing.conf.json")
    text = '{"endpont": "abc-ats.iot.us-east-1.amazonaws.com", "policy_name": "p"}'
    assert "did you mean 'endpoint'" in the(await show(session, uri, text), "unknown-key").message


async def test_ranges_are_in_utf16_columns(session: Session, project: Path) -> None:
    uri = session.open(project / "thing.conf.json")
    text = '{"note": "😀😀 \u2028 é", "endpoint": "bad", "policy_name": "p"}'
    diagnostic = the(await show(session, uri, text), "endpoint-invalid")
    assert diagnostic.range.start.line == 0  # \u2028 is no line break for LSP
    assert covered(text, diagnostic) == '"bad"'


async def test_active_thing_checks(session: Session, things: Path, subtests: Any) -> None:
    uri = session.open(things / "thing.conf.json")
    good = config(things)
    assert await session.current_diagnostics(uri) == []
    other_arn = json.loads((things / ".aws_things_resources/dev_1/thing.conf.json").read_text())[
        "cert_arn"
    ]
    cases = [
        ("thing-unknown", {"thingname": "dev_9"}, '"dev_9"'),
        ("thingname-mismatch", {"thingname": "dev_1", "mqttid": "dev_1"}, '"dev_1"'),
        ("mqttid-not-thingname", {"mqttid": "dev_1"}, '"dev_1"'),
        ("cert-arn-mismatch", {"cert_arn": other_arn}, json.dumps(other_arn)),
        ("certificate-mismatch", {"cert_arn": other_arn}, json.dumps(other_arn)),
        ("active-thing-missing", {"thingname": None}, "{"),
    ]
    for code, changes, expected in cases:
        with subtests.test(msg=code):
            data = {k: v for k, v in {**good, **changes}.items() if v is not None}
            text = dump(data)
            assert covered(text, the(await show(session, uri, text), code)) == expected
    with subtests.test(msg="mqttid-mismatch"):
        data = {k: v for k, v in good.items() if k != "thingname"}
        data["mqttid"] = "dev_1"
        text = dump(data)
        assert covered(text, the(await show(session, uri, text), "mqttid-mismatch")) == '"dev_1"'


async def test_credential_files(session: Session, things: Path, subtests: Any) -> None:
    uri = session.open(things / "thing.conf.json")
    text = dump(config(things))
    arn_text = json.dumps(config(things)["cert_arn"])
    certificate, key = things / "certificate.pem.crt", things / "private.pem.key"
    saved = certificate.read_bytes(), key.read_bytes()

    async def after(change: Any) -> Sequence[types.Diagnostic]:
        certificate.write_bytes(saved[0])
        key.write_bytes(saved[1])
        change()
        return await show(session, uri, text)

    cases = [
        ("certificate-missing", certificate.unlink),
        ("private-key-missing", key.unlink),
        ("certificate-invalid", lambda: certificate.write_text("junk")),
        ("private-key-invalid", lambda: key.write_text("junk")),
        ("private-key-mismatch", lambda: key.write_bytes(make_credentials().private_key)),
        ("certificate-mismatch", lambda: certificate.write_bytes(make_credentials().certificate)),
        (
            "certificate-expired",
            lambda: certificate.write_bytes(make_credentials(expired=True).certificate),
        ),
        (
            "certificate-expiring",
            lambda: certificate.write_bytes(make_credentials(valid_days=5).certificate),
        ),
    ]
    for code, change in cases:
        with subtests.test(msg=code):
            diagnostic = the(await after(change), code)
            assert covered(text, diagnostic) == arn_text


async def test_zawsconf_and_git(session: Session, things: Path, subtests: Any) -> None:
    uri = session.open(things / "thing.conf.json")
    text = dump(config(things))
    with subtests.test(msg="private-key-not-ignored"):
        subprocess.run(["git", "-C", str(things), "init", "-q"], check=True)
        assert await show(session, uri, text) == []  # the template's .gitignore keeps keys out
        (things / ".gitignore").write_text("main.py\n")
        assert covered(text, the(await show(session, uri, text), "private-key-not-ignored")) == "{"
    with subtests.test(msg="zawsconf-invalid"):
        (things / ".zawsconf").write_text("{")
        assert "zawsconf-invalid" in codes(await show(session, uri, text))


async def test_fixing_the_document_clears_its_diagnostics(session: Session, project: Path) -> None:
    uri = session.open(project / "thing.conf.json", text="{")
    assert codes(await session.current_diagnostics(uri)) == {"invalid-json"}
    assert await show(session, uri, (project / "thing.conf.json").read_text()) == []


async def test_closing_shows_the_file_on_disk_again(session: Session, project: Path) -> None:
    path = project / "thing.conf.json"
    path.write_text('{"endpoint": "abc-ats.iot.us-east-1.amazonaws.com"}')
    uri = session.open(path, text=dump({**json.loads(path.read_text()), "policy_name": "p"}))
    assert await session.current_diagnostics(uri) == []
    session.close(uri)
    closed = await session.diagnostics(uri, lambda d: bool(d), version=None)
    assert codes(closed) == {"missing-key"}


async def test_the_project_file_on_disk_is_checked_without_opening_it(
    aws: Any, zaws_home: Path, project: Path
) -> None:
    path = project / "thing.conf.json"
    path.write_text('{"endpoint": "abc-ats.iot.us-east-1.amazonaws.com", "policy_name": ""}')
    session = await start_session(zaws_home, workspace=project.parent)
    try:
        uri = uri_from_path(path)
        assert codes(await session.diagnostics(uri)) == {"empty-value"}
        # Changed on disk (a terminal, another editor): checked again.
        path.write_text('{"endpoint": "abc-ats.iot.us-east-1.amazonaws.com", "policy_name": "p"}')
        assert await session.diagnostics(uri, lambda d: not d) == []
    finally:
        await stop_session(session)


async def test_remote_checks(
    aws: Any, zaws_home: Path, project: Path, boto: Any, subtests: Any
) -> None:
    session = await start_session(zaws_home, options={"remoteChecks": True})
    try:
        project_uri = uri_from_path(project)
        await session.request("zaws/addThings", {"projectUri": project_uri, "baseName": "dev"})
        data = config(project)
        iot = boto("iot")
        endpoint = iot.describe_endpoint(endpointType="iot:Data-ATS")["endpointAddress"]
        uri = session.open(project / "thing.conf.json")
        with subtests.test(msg="remote-endpoint-foreign"):
            diagnostics = await session.diagnostics(
                uri, lambda d: "remote-endpoint-foreign" in codes(d)
            )
            text = dump(data)
            assert endpoint in the(diagnostics, "remote-endpoint-foreign").message
            assert covered(text, the(diagnostics, "remote-endpoint-foreign")).startswith('"abc-ats')
        cert_id = data["cert_arn"].rsplit("/", 1)[-1]
        iot.detach_policy(policyName="device-policy", target=data["cert_arn"])
        iot.delete_policy(policyName="device-policy")
        iot.detach_thing_principal(thingName="dev_0", principal=data["cert_arn"])
        iot.delete_thing(thingName="dev_0")
        iot.update_certificate(certificateId=cert_id, newStatus="INACTIVE")
        # A new settings push empties the cache: the facts are fetched again.
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"zaws": {"endpointUrl": None}})
        )
        expected = {
            "remote-policy-missing": '"device-policy"',
            "remote-thing-missing": '"dev_0"',
            "remote-certificate-inactive": json.dumps(data["cert_arn"]),
        }
        diagnostics = await session.diagnostics(uri, lambda d: set(expected) <= codes(d))
        text = dump(data)
        for code, value in expected.items():
            with subtests.test(msg=code):
                assert covered(text, the(diagnostics, code)) == value
    finally:
        await stop_session(session)
