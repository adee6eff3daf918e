"""The `RemoteProbe` that asks AWS (or the emulator): boto3 is imported only when a check runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from zaws.aws.settings import AwsSettings
from zaws.checks.remote import MISSING
from zaws.checks.topic_permissions import FetchedPolicy

if TYPE_CHECKING:
    from mypy_boto3_iot import IoTClient


class AwsProbe:
    """Answers the remote checks' questions with one IoT client, built on first use."""

    def __init__(self, settings: AwsSettings) -> None:
        self.settings = settings
        self._iot: IoTClient | None = None

    @property
    def iot(self) -> IoTClient:
        if self._iot is None:
            from zaws.aws.clients import AwsClients

            self._iot = AwsClients(self.settings).iot
        return self._iot

    def policy_exists(self, name: str) -> bool:
        return self._exists(lambda: self.iot.get_policy(policyName=name))

    def data_endpoint(self) -> str:
        return self.iot.describe_endpoint(endpointType="iot:Data-ATS")["endpointAddress"]

    def thing_exists(self, name: str) -> bool:
        return self._exists(lambda: self.iot.describe_thing(thingName=name))

    def certificate_status(self, certificate_id: str) -> str:
        from botocore.exceptions import ClientError

        from zaws.aws.errors import is_not_found

        try:
            described = self.iot.describe_certificate(certificateId=certificate_id)
        except ClientError as err:
            if is_not_found(err):
                return MISSING
            raise
        return str(described["certificateDescription"].get("status", MISSING))

    def device_policies(
        self, policy_name: str, certificate_id: str | None
    ) -> tuple[FetchedPolicy, ...]:
        from botocore.exceptions import ClientError

        from zaws.aws.errors import is_not_found

        names = [policy_name]
        if certificate_id is not None:
            try:
                arn = self.iot.describe_certificate(certificateId=certificate_id)[
                    "certificateDescription"
                ]["certificateArn"]
                pages = self.iot.get_paginator("list_attached_policies").paginate(target=arn)
                names += [p["policyName"] for page in pages for p in page.get("policies", [])]
            except ClientError as err:
                if not is_not_found(err):
                    raise
        fetched = []
        for name in dict.fromkeys(names):
            try:
                policy = self.iot.get_policy(policyName=name)
            except ClientError as err:
                if is_not_found(err):
                    continue
                raise
            fetched.append(
                FetchedPolicy(
                    name,
                    policy["policyArn"],
                    policy["policyDocument"],
                    policy.get("defaultVersionId"),
                )
            )
        return tuple(fetched)

    @staticmethod
    def _exists(call: Callable[[], object]) -> bool:
        from botocore.exceptions import ClientError

        from zaws.aws.errors import is_not_found

        try:
            call()
        except ClientError as err:
            if is_not_found(err):
                return False
            raise
        return True
