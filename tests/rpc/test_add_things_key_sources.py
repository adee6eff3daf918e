"""zaws/addThings over `zaws rpc` from a folder of CSRs in bulk, results as the contract says."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from tests.operations.test_add_things_device_csrs import write_csr
from tests.rpc.test_stdio import Client, rpc
from zaws.service.uris import uri_from_path

__all__ = ["rpc"]


def test_csr_dir_and_bulk(rpc: Client, project: Path, tmp_path: Path) -> None:
    uri = uri_from_path(project)
    for name in ("one.pem", "two.pem"):
        write_csr(tmp_path / "csrs", name, ec.generate_private_key(ec.SECP256R1()))
    added = rpc.result(
        "zaws/addThings",
        {
            "projectUri": uri,
            "baseName": "se",
            "csrDir": uri_from_path(tmp_path / "csrs"),
            "bulk": True,
        },
    )
    assert added["things"] == ["se_0", "se_1"] and added["bulkTaskId"]
    assert [m["csrFile"] for m in added["csrFiles"]] == ["one.pem", "two.pem"]
    refused = rpc.call(
        "zaws/addThings", {"projectUri": uri, "baseName": "x", "bulk": True, "keys": "aws"}
    )
    assert "AWS cannot make the keys" in refused["error"]["message"]
