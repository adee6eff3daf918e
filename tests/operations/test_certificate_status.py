"""revoke-certificate on the emulator's data plane: the device can no longer connect, at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from zaws.aws.settings import AwsSettings
from zaws.errors import ZawsError
from zaws.operations.add_things import add_things
from zaws.operations.certificate_status import set_certificate_status
from zaws.operations.mqtt_publish import publish_message


@pytest.mark.parametrize("status", ["REVOKED", "INACTIVE"])
def test_a_stopped_certificate_cannot_connect_and_an_active_one_can_again(
    project: Path, aws: AwsSettings, status: str
) -> None:
    add_things(project, aws=aws, base_name="dev", count=1)
    publish_message(project, "dev_0/samples", b"{}", aws=aws, thing="dev_0")  # connects today
    set_certificate_status(project, "dev_0", status, aws=aws)
    with pytest.raises(ZawsError) as refused:
        publish_message(project, "dev_0/samples", b"{}", aws=aws, thing="dev_0")
    assert status in refused.value.message
    if status == "INACTIVE":
        set_certificate_status(project, "dev_0", "ACTIVE", aws=aws)
        publish_message(project, "dev_0/samples", b"{}", aws=aws, thing="dev_0")
