"""zaws/startFota's pre-flight over the protocol: a refusal is FotaJobUnsound, force creates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.protocol.contract import assert_result_matches
from tests.support.device_playback import FotaStage, prepare_stage
from zaws.aws.settings import AwsSettings
from zaws.errors import ZawsError
from zaws.operations.fota_setup import ROLE_POLICY_NAME
from zaws.service.methods import CallContext, call
from zaws.service.uris import uri_from_path


@pytest.fixture
def broken_stage(aws: AwsSettings, tmp_path: Path, boto: Any) -> FotaStage:
    """A stage whose role may not read the bucket."""
    boto("iot").create_thing(thingName="dev_0")
    stage = prepare_stage(aws, tmp_path)
    boto("iam").delete_role_policy(RoleName=stage.role, PolicyName=ROLE_POLICY_NAME)
    return stage


def params(stage: FotaStage, **more: Any) -> dict[str, Any]:
    return {
        "thingName": "dev_0",
        "firmwareUri": uri_from_path(stage.firmware),
        "bucket": stage.bucket,
        "role": stage.role,
        **more,
    }


def test_a_job_devices_could_not_run_is_refused_with_fota_job_unsound(
    aws: AwsSettings, broken_stage: FotaStage, boto: Any
) -> None:
    with pytest.raises(ZawsError) as refused:
        call("zaws/startFota", params(broken_stage), CallContext(aws))
    assert refused.value.rpc_code == -32018
    assert refused.value.to_dict()["code"] == "zaws.fotaJobUnsound"
    assert "s3:GetObject" in refused.value.message
    assert boto("iot").list_jobs()["jobs"] == []


def test_force_creates_it_and_the_result_lists_the_problems(
    aws: AwsSettings, broken_stage: FotaStage, boto: Any
) -> None:
    result = call(
        "zaws/startFota", params(broken_stage, force=True, verify=False), CallContext(aws)
    )
    assert result["forced"] is True and result["preflight"]["ok"] is False
    assert [f["check"] for f in result["preflight"]["findings"]] == ["role.s3_read"]
    assert [j["jobId"] for j in boto("iot").list_jobs()["jobs"]] == [result["jobId"]]
    assert_result_matches("zaws/startFota", result)
