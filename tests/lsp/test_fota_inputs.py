"""zaws/startFota and zaws/fotaSetup refuse what cannot work with the operation's InvalidInput, as
the CLI does: a bytecode slot the device cannot use, a role of another account; empty names are
refused by the params (InvalidParams). Nothing is created and no fotaJobsChanged is sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session
from zaws.service.uris import uri_from_path

OTHER_ACCOUNT_ROLE = "arn:aws:iam::111122223333:role/fota-role"


async def error_of(session: Session, method: str, params: Any) -> JsonRpcException:
    with pytest.raises(JsonRpcException) as caught:
        await session.request(method, params)
    return caught.value


def firmware_in_slot(fota_setup: dict[str, str], tmp_path: Path, bc_idx: object) -> str:
    firmware = json.loads(Path(fota_setup["firmware"]).read_text())
    path = tmp_path / "slot.json"
    path.write_text(json.dumps({**firmware, "bc_idx": bc_idx}))
    return uri_from_path(path)


async def test_start_refuses_a_bad_slot_and_another_accounts_role(
    session: Session, fota_setup: dict[str, str], tmp_path: Path, boto: Any
) -> None:
    boto("iot").create_thing(thingName="dev_0")
    good = {
        "thingName": "dev_0",
        "firmwareUri": uri_from_path(Path(fota_setup["firmware"])),
        "bucket": fota_setup["bucket"],
        "role": fota_setup["role"],
    }
    refused = [
        ({"firmwareUri": firmware_in_slot(fota_setup, tmp_path, 10**30)}, "0 or 1"),
        ({"role": OTHER_ACCOUNT_ROLE}, "belongs to account 111122223333"),
        ({"role": "arn:aws:iam::1:role/fota-role"}, "not an IAM role ARN"),
    ]
    for change, message in refused:
        error = await error_of(session, "zaws/startFota", {**good, **change})
        assert error.code == -32011, (change, error.message)
        assert isinstance(error.data, dict) and error.data["code"] == "zaws.invalidInput"
        assert message in error.message and error.data["hint"], (change, error.message)
    for name in ("role", "bucket", "thingName"):
        error = await error_of(session, "zaws/startFota", {**good, name: ""})
        assert error.code == -32602 and f"{name} must not be empty" in error.message
    assert boto("iot").list_jobs()["jobs"] == []
    assert session.fota_jobs_changed == []


async def test_setup_refuses_another_accounts_role(session: Session, boto: Any) -> None:
    params = {"bucket": "fresh-bucket", "role": OTHER_ACCOUNT_ROLE}
    error = await error_of(session, "zaws/fotaSetup", params)
    assert error.code == -32011 and "belongs to account 111122223333" in error.message
    assert boto("s3").list_buckets()["Buckets"] == []
