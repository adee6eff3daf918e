"""boto3 clients for real AWS or for the embedded emulator, built from AwsSettings.

Local mode gives each client fake credentials and the emulator's URL explicitly; nothing is
exported into the environment, so local mode cannot leak into a real run or back. Real mode uses
boto3's default chain (environment, profiles, SSO, instance roles) and never the emulator.
Every client uses adaptive retries (they also retry the emulator's HTTP 500s under concurrency)
and, against real AWS, a rate limiter per API at the account's quotas.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

from zaws.aws.errors import CONFIGURE_HINT, aws_errors
from zaws.aws.rate_limits import AWS_IOT_DEFAULT_TPS, RateLimiter
from zaws.aws.settings import LOCAL_REGION, AwsSettings
from zaws.errors import CredentialsMissing

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_iot import IoTClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sts import STSClient

LOCAL_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
DEFAULT_WORKERS_LOCAL = 12
DEFAULT_WORKERS_REAL = 16

# Called with every new client; tests use it to register botocore event hooks (fault injection).
client_hooks: list[Callable[[Any], None]] = []


class AwsClients:
    """One per operation run: resolves the account once, builds thread-safe clients lazily."""

    def __init__(self, settings: AwsSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        if settings.local:
            from zaws.emulator.control import ensure_running

            # An explicit URL in local mode: an emulator reached through it (e.g. a test proxy).
            self.endpoint_url: str | None = settings.endpoint_url or ensure_running(settings.home)
            self.region = settings.region or LOCAL_REGION
            self._session = boto3.Session(
                region_name=self.region,
                aws_access_key_id=LOCAL_CREDENTIALS["aws_access_key_id"],
                aws_secret_access_key=LOCAL_CREDENTIALS["aws_secret_access_key"],
            )
        else:
            with aws_errors("reading the AWS configuration"):
                self._session = boto3.Session(
                    profile_name=settings.profile, region_name=settings.region
                )
                credentials = self._session.get_credentials()
            if credentials is None:
                raise CredentialsMissing("No AWS credentials found", CONFIGURE_HINT)
            region = self._session.region_name
            if not region:
                raise CredentialsMissing(
                    "No AWS region configured",
                    "pass --region, set AWS_REGION, or add `region` to the profile",
                )
            self.region = region
            self.endpoint_url = settings.endpoint_url

    @property
    def workers(self) -> int:
        default = DEFAULT_WORKERS_LOCAL if self.settings.local else DEFAULT_WORKERS_REAL
        return self.settings.max_workers or default

    def _config(self, **extra: Any) -> Config:
        return Config(
            retries={"mode": "adaptive", "max_attempts": 10},
            max_pool_connections=self.workers + 4,
            connect_timeout=10,
            read_timeout=60,
            **extra,
        )

    def _client(self, service: str, region: str | None = None, **config: Any) -> Any:
        kwargs: dict[str, Any] = {"config": self._config(**config)}
        if self.endpoint_url:
            kwargs["endpoint_url"] = self.endpoint_url
        if self.settings.local:
            kwargs.update(LOCAL_CREDENTIALS)
        with self._lock:  # boto3 sessions are not thread-safe while creating clients
            make_client: Any = self._session.client
            client = make_client(service, region_name=region or self.region, **kwargs)
        limit = self.settings.limit_rates
        if service == "iot" and (not self.settings.local if limit is None else limit):
            limits = {**AWS_IOT_DEFAULT_TPS, **(self.settings.rate_limits or {})}
            client.meta.events.register("before-send.iot", RateLimiter(limits))
        for hook in client_hooks:
            hook(client)
        return client

    @cached_property
    def iot(self) -> IoTClient:
        return self._client("iot")  # type: ignore[no-any-return]

    @cached_property
    def iam(self) -> IAMClient:
        return self._client("iam")  # type: ignore[no-any-return]

    @cached_property
    def sts(self) -> STSClient:
        return self._client("sts")  # type: ignore[no-any-return]

    def s3(self, region: str | None = None) -> S3Client:
        style = "path" if self.settings.local else "virtual"
        return self._client("s3", region, s3={"addressing_style": style})  # type: ignore[no-any-return]
