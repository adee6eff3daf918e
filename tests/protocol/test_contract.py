"""The contract and the code agree: the same methods, params, errors, notification and lens
commands, and real results (from the emulator) validate against the result schemas."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

import zaws.checks
import zaws.errors
from tests.protocol.contract import (
    assert_params_match,
    assert_result_matches,
    contract,
    methods,
    params_of,
    validator,
)
from zaws.aws.settings import AwsSettings
from zaws.lsp.code_lens import LENS_COMMANDS
from zaws.lsp.server import FOTA_JOBS_CHANGED, THINGS_CHANGED
from zaws.service.methods import METHODS, CallContext, call
from zaws.service.notification_params import DEVICE_EVENT, MESSAGE, SUBSCRIPTION_ENDED
from zaws.service.uris import InvalidParams, uri_from_path


def test_it_is_an_openrpc_1_2_6_document_with_valid_schemas() -> None:
    document = contract()
    assert document["openrpc"] == "1.2.6"
    for schema in document["components"]["schemas"].values():
        Draft7Validator.check_schema(schema)
    for method in document["methods"]:
        assert method["paramStructure"] == "by-name"
        validator(method["result"]["schema"])


def test_every_registered_method_is_in_the_contract_and_the_reverse() -> None:
    assert set(methods()) == set(METHODS)


@pytest.mark.parametrize("name", sorted(METHODS))
def test_params_agree(name: str) -> None:
    documented = set(params_of(name))
    assert documented - {"workDoneToken"} == set(METHODS[name].params)
    assert ("workDoneToken" in documented) == METHODS[name].long
    assert bool(methods()[name].get("x-long")) == METHODS[name].long


def error_classes() -> list[type[zaws.errors.ZawsError]]:
    classes = [zaws.errors.ZawsError, InvalidParams]
    for _, value in inspect.getmembers(zaws.errors, inspect.isclass):
        if issubclass(value, zaws.errors.ZawsError):
            classes.append(value)
    return classes


def test_every_error_code_is_documented() -> None:
    documented = {e["code"] for e in contract()["components"]["errors"].values()}
    assert {cls.rpc_code for cls in error_classes()} <= documented
    assert {-32700, -32600, -32601, -32602, -32603} <= documented


def test_error_codes_are_clear_of_lsp_and_unique() -> None:
    from zaws.operations.fota_verify import FotaJobUnsound

    classes = {cls for cls in error_classes() if cls is not InvalidParams} | {FotaJobUnsound}
    codes = {cls.__name__: cls.rpc_code for cls in classes}
    assert codes == {
        "ZawsError": -32010,
        "InvalidInput": -32011,
        "ProjectError": -32012,
        "NotFound": -32013,
        "CredentialsMissing": -32014,
        "RemoteFailure": -32015,
        "Busy": -32016,
        "ConfirmationRequired": -32017,
        "FotaJobUnsound": -32018,
        "LocalFileError": -32019,
        "OperationCancelled": -32800,
    }
    documented = {name: e["code"] for name, e in contract()["components"]["errors"].items()}
    assert documented["FotaJobUnsound"] == -32018
    assert -32001 not in documented.values() and -32002 not in documented.values()
    assert len(set(documented.values())) == len(documented)
    assert all(
        "shares this number" not in e["data"]["description"]
        for e in contract()["components"]["errors"].values()
    )


def test_errors_named_by_methods_exist() -> None:
    errors = contract()["components"]["errors"]
    for method in contract()["methods"]:
        for ref in method["errors"]:
            assert ref["$ref"].rsplit("/", 1)[-1] in errors


def test_notification_and_lens_commands() -> None:
    assert [n["name"] for n in contract()["x-notifications"]] == [
        THINGS_CHANGED,
        FOTA_JOBS_CHANGED,
        DEVICE_EVENT,
        MESSAGE,
        SUBSCRIPTION_ENDED,
    ]
    assert [c["id"] for c in contract()["x-codeLensCommands"]] == list(LENS_COMMANDS)


def test_every_documented_diagnostic_code_is_produced_by_a_check() -> None:
    sources = "".join(path.read_text() for path in Path(zaws.checks.__file__).parent.glob("*.py"))
    for code in contract()["x-diagnostics"]["codes"]:
        assert f'"{code}"' in sources, code


def run(name: str, params: dict[str, Any], aws: AwsSettings) -> Any:
    assert_params_match(name, {k: v for k, v in params.items() if k != "workDoneToken"})
    result = call(name, params, CallContext(aws=aws))
    assert_result_matches(name, result)
    return result


def test_real_results_validate_against_the_schemas(
    tmp_path: Path, aws: AwsSettings, fota_setup: dict[str, str]
) -> None:
    made = run(
        "zaws/createProject",
        {"name": "device", "parentUri": uri_from_path(tmp_path), "policyName": "device-policy"},
        aws,
    )
    project = made["projectUri"]
    assert made["endpointSource"] == "account"
    run("zaws/createPolicy", {"name": "device-policy"}, aws)
    run("zaws/addThings", {"projectUri": project, "baseName": "dev", "count": 2}, aws)
    run("zaws/setActiveThing", {"projectUri": project, "thingId": 1}, aws)
    listed = run("zaws/listThings", {"projectUri": project, "remote": True}, aws)
    assert [t["active"] for t in listed["things"]] == [False, True]
    firmware = uri_from_path(Path(fota_setup["firmware"]))
    started = run(
        "zaws/startFota",
        {
            "projectUri": project,
            "firmwareUri": firmware,
            "bucket": fota_setup["bucket"],
            "role": fota_setup["role"],
            "duration": 600,
        },
        aws,
    )
    assert started["thingName"] == "dev_1"
    assert set(started["document"]) >= {"bc_crc", "bc_idx", "bc_url"}
    plan = run("zaws/cleanup", {"projectUri": project}, aws)
    assert plan["confirmed"] is False and len(plan["plan"]["targets"]) == 2
    done = run("zaws/cleanup", {"projectUri": project, "confirm": True}, aws)
    assert sorted(done["done"]["thingsDeleted"]) == ["dev_0", "dev_1"]


def test_fota_results_validate_against_the_schemas(
    project: Path, aws: AwsSettings, fota_setup: dict[str, str]
) -> None:
    uri = uri_from_path(project)
    run("zaws/addThings", {"projectUri": uri, "baseName": "dev", "count": 2}, aws)
    setup = run("zaws/fotaSetup", {"bucket": "new-firmware", "role": "new-role"}, aws)
    assert setup["bucketCreated"] is True and setup["roleCreated"] is True
    started = run(
        "zaws/startFota",
        {
            "projectUri": uri,
            "allThings": True,
            "firmwareUri": uri_from_path(Path(fota_setup["firmware"])),
            "bucket": setup["bucket"],
            "role": setup["roleName"],
            "maxPerMinute": 10,
            "abortFailedPercent": 50,
            "abortMinExecuted": 2,
        },
        aws,
    )
    assert started["things"] == ["dev_0", "dev_1"] and started["thingName"] is None
    assert started["verification"]["ok"] is True, started["verification"]
    job = started["jobId"]
    listed = run("zaws/listFotaJobs", {"projectUri": uri}, aws)
    assert [j["jobId"] for j in listed["jobs"]] == [job]
    assert listed["jobs"][0]["status"] == "IN_PROGRESS"
    local = run("zaws/listFotaJobs", {"projectUri": uri, "remote": False}, aws)
    assert local["jobs"][0]["status"] is None and local["jobs"][0]["counts"] == {}
    described = run("zaws/describeFotaJob", {"jobId": job}, aws)
    assert described["rollout"] == {"maximumPerMinute": 10}
    assert described["abort"]["criteriaList"][0]["minNumberOfExecutedThings"] == 2
    verified = run("zaws/verifyFota", {"jobId": job, "projectUri": uri}, aws)
    assert verified["ok"] is True and "firmware.md5" in verified["passed"]
    with pytest.raises(zaws.errors.ConfirmationRequired):
        call("zaws/cancelFotaJob", {"jobId": job}, CallContext(aws=aws))
    cancelled = run("zaws/cancelFotaJob", {"jobId": job, "confirm": True}, aws)
    assert cancelled["status"] == "CANCELED" and cancelled["force"] is False
    deleted = run("zaws/deleteFotaJob", {"jobId": job, "projectUri": uri, "confirm": True}, aws)
    assert deleted == {"jobId": job, "existed": True, "forgottenByProject": True}
    assert run("zaws/listFotaJobs", {"projectUri": uri}, aws)["jobs"] == []
    with pytest.raises(zaws.errors.NotFound):
        call("zaws/verifyFota", {"jobId": job}, CallContext(aws=aws))
