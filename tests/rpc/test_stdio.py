"""`python -m zaws rpc` as a subprocess: the whole workflow over plain JSON-RPC, results as the
contract says, bad input answered, and the server alive to the end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.protocol.contract import assert_result_matches
from tests.rpc.raw import RawServer
from zaws.aws.settings import AwsSettings
from zaws.service.uris import uri_from_path


class Client:
    def __init__(self, server: RawServer) -> None:
        self.server = server
        self.next_id = 0

    def call(self, method: str, params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.server.send_json(
            {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}
        )
        return self.server.response(self.next_id, timeout=120)

    def result(self, method: str, params: Any) -> Any:
        answer = self.call(method, params)
        assert "result" in answer, answer
        assert_result_matches(method, answer["result"])
        return answer["result"]


@pytest.fixture
def rpc(aws: AwsSettings, zaws_home: Path, tmp_path: Path) -> Iterator[Client]:
    server = RawServer(["rpc"], zaws_home, cwd=tmp_path)
    yield Client(server)
    assert server.close() == 0


def test_the_workflow(rpc: Client, tmp_path: Path, fota_setup: dict[str, str]) -> None:
    rpc.result("zaws/createPolicy", {"name": "device-policy"})
    made = rpc.result(
        "zaws/createProject",
        {"name": "device", "parentUri": uri_from_path(tmp_path), "policyName": "device-policy"},
    )
    project = made["projectUri"]
    added = rpc.result("zaws/addThings", {"projectUri": project, "baseName": "dev", "count": 3})
    assert added["things"] == ["dev_0", "dev_1", "dev_2"]
    rpc.result("zaws/setActiveThing", {"projectUri": project, "thingId": 2})
    listed = rpc.result("zaws/listThings", {"projectUri": project})
    assert listed["activeThing"] == "dev_2"
    fota = rpc.result(
        "zaws/startFota",
        {
            "projectUri": project,
            "firmwareUri": uri_from_path(Path(fota_setup["firmware"])),
            "bucket": fota_setup["bucket"],
            "role": fota_setup["role"],
        },
    )
    assert fota["thingName"] == "dev_2"
    plan = rpc.result("zaws/cleanup", {"projectUri": project})
    assert plan["confirmed"] is False and (tmp_path / "device" / ".aws_things_resources").exists()
    rpc.result("zaws/cleanup", {"projectUri": project, "confirm": True})
    assert not (tmp_path / "device" / ".aws_things_resources").exists()


def test_bad_input_keeps_the_server_serving(rpc: Client, tmp_path: Path) -> None:
    server = rpc.server
    server.send(b"{nope")
    assert server.response(None)["error"]["code"] == -32700
    # An oversized frame swallows the rest of the input; at its end the server answers and exits.
    server.send(b"x" * 10, header=b"Content-Length: 99999999999\r\n\r\n")
    assert server.process.stdin is not None
    server.process.stdin.close()
    assert server.response(None)["error"]["code"] == -32600


def test_oversized_message(aws: AwsSettings, zaws_home: Path, tmp_path: Path) -> None:
    server = RawServer(["rpc", "--max-message-bytes", "100"], zaws_home, cwd=tmp_path)
    try:
        server.send_json(
            {
                "jsonrpc": "2.0",
                "id": 7,
                "method": "zaws/createPolicy",
                "params": {"name": "p" * 200},
            }
        )
        error = server.response(7)["error"]
        assert error["code"] == -32600 and "limit of 100 bytes" in error["message"]
        client = Client(server)
        client.next_id = 100
        assert client.call("zaws/listThings", {"projectUri": "/tmp"})["error"]["code"] == -32602
    finally:
        assert server.close() == 0


def test_unknown_project_and_wrong_types(rpc: Client, tmp_path: Path) -> None:
    answer = rpc.call("zaws/addThings", {"projectUri": uri_from_path(tmp_path), "count": "3"})
    assert (
        answer["error"]["code"] == -32602
        and "count must be an integer" in answer["error"]["message"]
    )
    answer = rpc.call("zaws/setActiveThing", {"projectUri": "file:///no/such", "thingId": 1})
    assert answer["error"]["data"]["code"] == "zaws.invalidParams"


def test_fota_campaign(rpc: Client, tmp_path: Path, fota_setup: dict[str, str]) -> None:
    rpc.result("zaws/createPolicy", {"name": "device-policy"})
    made = rpc.result(
        "zaws/createProject",
        {"name": "device", "parentUri": uri_from_path(tmp_path), "policyName": "device-policy"},
    )
    project = made["projectUri"]
    rpc.result("zaws/addThings", {"projectUri": project, "baseName": "dev", "count": 2})
    started = rpc.result(
        "zaws/startFota",
        {
            "projectUri": project,
            "thingNames": ["dev_0", "dev_1"],
            "firmwareUri": uri_from_path(Path(fota_setup["firmware"])),
            "bucket": fota_setup["bucket"],
            "role": fota_setup["role"],
            "abortFailedPercent": 12.5,
        },
    )
    assert started["things"] == ["dev_0", "dev_1"] and started["verification"]["ok"] is True
    job = started["jobId"]
    listed = rpc.result("zaws/listFotaJobs", {"projectUri": project})
    assert [j["jobId"] for j in listed["jobs"]] == [job]
    verified = rpc.result("zaws/verifyFota", {"jobId": job})
    assert verified["ok"] is True and verified["findings"] == []
    refused = rpc.call("zaws/cancelFotaJob", {"jobId": job})["error"]
    assert refused["code"] == -32017 and refused["data"]["code"] == "zaws.confirmationRequired"
    missing = rpc.call("zaws/verifyFota", {"jobId": "fota-nothing"})["error"]
    assert missing["code"] == -32013 and missing["data"]["code"] == "zaws.notFound"


def test_an_operating_system_error_is_a_local_file_error(rpc: Client, tmp_path: Path) -> None:
    answer = rpc.call(
        "zaws/createProject",
        {"name": "a" * 300, "parentUri": uri_from_path(tmp_path), "policyName": "p"},
    )
    assert answer["error"]["code"] == -32019, answer
    assert answer["error"]["data"]["code"] == "zaws.localFile"
    assert "name too long" in answer["error"]["message"]
    still = rpc.call("zaws/listThings", {"projectUri": uri_from_path(tmp_path)})
    assert still["error"]["data"]["code"] == "zaws.project"  # and the server still answers


def test_remove_a_thing_and_revoke_a_certificate(rpc: Client, tmp_path: Path) -> None:
    rpc.result("zaws/createPolicy", {"name": "device-policy"})
    made = rpc.result(
        "zaws/createProject",
        {"name": "device", "parentUri": uri_from_path(tmp_path), "policyName": "device-policy"},
    )
    project = made["projectUri"]
    rpc.result("zaws/addThings", {"projectUri": project, "baseName": "dev", "count": 3})
    plan = rpc.result("zaws/removeThings", {"projectUri": project, "thingNames": ["dev_2"]})
    assert plan["confirmed"] is False and plan["plan"]["targets"][0]["thingAction"] == "delete"
    done = rpc.result(
        "zaws/removeThings", {"projectUri": project, "thingNames": ["dev_2"], "confirm": True}
    )
    assert done["done"]["removed"] == ["dev_2"]
    unconfirmed = rpc.call(
        "zaws/setCertificateStatus",
        {"projectUri": project, "thingName": "dev_1", "status": "REVOKED"},
    )
    assert unconfirmed["error"]["data"]["code"] == "zaws.confirmationRequired"
    revoked = rpc.result(
        "zaws/setCertificateStatus",
        {"projectUri": project, "thingName": "dev_1", "status": "REVOKED", "confirm": True},
    )
    assert revoked["status"] == "REVOKED"
    rotated = rpc.result(
        "zaws/rotateCertificates", {"projectUri": project, "thingNames": ["dev_1"]}
    )
    assert rotated["rotated"][0]["oldRetired"] is True
    listed = rpc.result("zaws/listThings", {"projectUri": project})
    assert {t["name"]: t["certificateStatus"] for t in listed["things"]} == {
        "dev_0": None,
        "dev_1": None,  # a new certificate replaced the revoked one
    }
