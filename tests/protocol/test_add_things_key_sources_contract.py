"""zaws/addThings with its key sources (keys, keyType, csrDir) and bulk (bulk, bucket): the params
the contract documents are the ones the service reads, and real results validate against it."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from tests.operations.test_add_things_device_csrs import write_csr
from tests.protocol.contract import assert_params_match, assert_result_matches, params_of
from zaws.aws.settings import AwsSettings
from zaws.service.methods import CallContext, call
from zaws.service.uris import uri_from_path


def run(method: str, params: dict[str, object], aws: AwsSettings) -> dict[str, object]:
    assert_params_match(method, params)
    result = call(method, params, CallContext(aws=aws))
    assert_result_matches(method, result)
    return dict(result)


def test_the_new_params_are_documented() -> None:
    documented = params_of("zaws/addThings")
    assert {"csrDir", "bulk", "bucket", "keys", "keyType"} <= set(documented)
    assert documented["bulk"]["schema"]["type"] == "boolean"


def test_csr_dir_and_bulk_results_validate(project: Path, aws: AwsSettings, tmp_path: Path) -> None:
    uri = uri_from_path(project)
    for name in ("b.pem", "a.pem"):
        write_csr(tmp_path / "csrs", name, ec.generate_private_key(ec.SECP256R1()))
    from_csrs = run(
        "zaws/addThings",
        {"projectUri": uri, "baseName": "se", "csrDir": uri_from_path(tmp_path / "csrs")},
        aws,
    )
    assert from_csrs["csrFiles"] == [
        {"thing": "se_0", "csrFile": "a.pem"},
        {"thing": "se_1", "csrFile": "b.pem"},
    ]
    listed = run("zaws/listThings", {"projectUri": uri}, aws)
    assert [(t["keyOnDevice"], t["missingFiles"]) for t in listed["things"]] == [(True, [])] * 2  # type: ignore[index, union-attr]

    bulk = run(
        "zaws/addThings",
        {
            "projectUri": uri,
            "baseName": "b",
            "count": 3,
            "keys": "local",
            "keyType": "ec-p384",
            "bulk": True,
        },
        aws,
    )
    assert bulk["things"] == ["b_0", "b_1", "b_2"] and bulk["bucketCreated"] is True
    assert isinstance(bulk["bulkTaskId"], str) and bulk["bucket"]
