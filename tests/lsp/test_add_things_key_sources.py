"""zaws/addThings over LSP with keys made here, from a folder of CSRs, and in bulk; the results as
the contract says, and a bad CSR folder an error that says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session
from tests.operations.test_add_things_device_csrs import write_csr
from tests.protocol.contract import assert_result_matches
from zaws.service.uris import uri_from_path


async def test_ec_keys_csrs_and_bulk(session: Session, project_uri: str, tmp_path: Path) -> None:
    local = await session.request(
        "zaws/addThings",
        {"projectUri": project_uri, "baseName": "dev", "keys": "local", "keyType": "ec-p256"},
    )
    assert_result_matches("zaws/addThings", local)
    write_csr(tmp_path / "csrs", "device.pem", ec.generate_private_key(ec.SECP256R1()))
    from_csr = await session.request(
        "zaws/addThings",
        {"projectUri": project_uri, "baseName": "se", "csrDir": uri_from_path(tmp_path / "csrs")},
    )
    assert_result_matches("zaws/addThings", from_csr)
    assert from_csr["csrFiles"] == [{"thing": "se_0", "csrFile": "device.pem"}]
    bulk = await session.request(
        "zaws/addThings", {"projectUri": project_uri, "count": 2, "bulk": True, "baseName": "b"}
    )
    assert_result_matches("zaws/addThings", bulk)
    assert bulk["things"] == ["b_0", "b_1"] and bulk["bulkTaskId"]


async def test_a_folder_without_csrs_is_invalid_input(
    session: Session, project_uri: str, tmp_path: Path
) -> None:
    (tmp_path / "csrs").mkdir()
    (tmp_path / "csrs" / "readme.txt").write_text("not a CSR")
    with pytest.raises(JsonRpcException) as failed:
        await session.request(
            "zaws/addThings",
            {
                "projectUri": project_uri,
                "baseName": "se",
                "csrDir": uri_from_path(tmp_path / "csrs"),
            },
        )
    data = failed.value.data
    assert data["code"] == "zaws.invalidInput" and "readme.txt" in failed.value.message
    assert data["hint"]
