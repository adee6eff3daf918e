"""The front ends' settings (AWS profile, region, endpoint, local emulator, remote checks).

The language server receives them as initialization options and `workspace/didChangeConfiguration`,
`zaws rpc` from its command line and the environment. Keys are the VS Code settings' names under
`zaws.*`. A setting of the wrong type is ignored with a warning rather than breaking the session.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from zaws.aws.settings import LOCAL_REGION, AwsSettings, local_from_environment

_STRINGS = {"profile": "profile", "region": "region", "endpointUrl": "endpoint_url"}
_BOOLEANS = {"local": "local", "remoteChecks": "remote_checks"}


@dataclass(frozen=True)
class ServerSettings:
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    local: bool | None = None  # None: ZAWS_LOCAL decides
    remote_checks: bool = True

    def updated(self, options: object) -> tuple[ServerSettings, list[str]]:
        """These settings with `options` applied (a `zaws` section or the section's content)."""
        if isinstance(options, Mapping) and isinstance(options.get("zaws"), Mapping):
            options = options["zaws"]
        if options is None:
            return self, []
        if not isinstance(options, Mapping):
            return self, ["zaws settings must be an object; ignored"]
        changes: dict[str, Any] = {}
        warnings = []
        for key, value in options.items():
            if key in _STRINGS and (value is None or isinstance(value, str)):
                changes[_STRINGS[key]] = value or None
            elif key in _BOOLEANS and (isinstance(value, bool) or value is None):
                if key == "remoteChecks" and value is None:
                    value = True
                changes[_BOOLEANS[key]] = value
            elif key in _STRINGS or key in _BOOLEANS:
                warnings.append(f"zaws.{key} has the wrong type; ignored")
        return replace(self, **changes), warnings

    @property
    def is_local(self) -> bool:
        return local_from_environment() if self.local is None else self.local

    def aws(self) -> AwsSettings:
        return AwsSettings.from_environment(
            profile=self.profile,
            region=self.region,
            endpoint_url=self.endpoint_url,
            local=self.local,
        )

    def effective_region(self) -> str | None:
        """The region AWS calls will use, when it is known without reading profiles."""
        if self.is_local:
            return self.region or LOCAL_REGION
        return self.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")

    def cache_key(self) -> str:
        return f"{self.profile}|{self.effective_region()}|{self.endpoint_url}|{self.is_local}"
