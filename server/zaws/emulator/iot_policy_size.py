"""CreatePolicy and CreatePolicyVersion in the emulator refuse documents over AWS's size limit.

AWS IoT takes a policy document of at most 2048 characters, whitespace not counted, and refuses a
longer one with MalformedPolicyException (HTTP 400), storing nothing. moto (5.2) stores any size,
so a tool tested only on the emulator would learn of the limit on AWS, possibly after it had
already deleted a version to make room (policy_versions checks first for that reason).
"""

from __future__ import annotations

from typing import Any

from zaws.iot_policy.size import MAX_POLICY_CHARS, policy_size


def patch_policy_size() -> None:
    from moto.iot.models import IoTBackend

    moto_create_policy = IoTBackend.create_policy
    moto_create_policy_version = IoTBackend.create_policy_version

    def create_policy(self: Any, policy_name: str, policy_document: Any) -> Any:
        refuse_too_large(policy_document)
        return moto_create_policy(self, policy_name, policy_document)

    def create_policy_version(
        self: Any, policy_name: str, policy_document: Any, set_as_default: bool
    ) -> Any:
        refuse_too_large(policy_document)
        return moto_create_policy_version(self, policy_name, policy_document, set_as_default)

    setattr(IoTBackend, "create_policy", create_policy)  # noqa: B010 (monkeypatch by design)
    setattr(IoTBackend, "create_policy_version", create_policy_version)  # noqa: B010


def refuse_too_large(policy_document: Any) -> None:
    from moto.iot.exceptions import IoTClientError

    if isinstance(policy_document, str) and policy_size(policy_document) > MAX_POLICY_CHARS:
        raise IoTClientError(
            "MalformedPolicyException",
            f"Policy document is {policy_size(policy_document)} characters long, more than the "
            f"maximum of {MAX_POLICY_CHARS} (whitespace excluded)",
        )
