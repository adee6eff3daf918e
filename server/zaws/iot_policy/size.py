"""AWS IoT's size limit of a policy document, counted as AWS counts it.

CreatePolicy and CreatePolicyVersion take a `policyDocument` of "a minimum length of 1, with a
maximum length of 2048, excluding whitespace" (the IoT API reference); a longer one is refused
with MalformedPolicyException. The emulator refuses it as AWS does (emulator/iot_policy_size), and
the policy quick fix checks the document it would send before it changes anything
(operations/policy_versions).
"""

from __future__ import annotations

MAX_POLICY_CHARS = 2048


def policy_size(document: str) -> int:
    """The document's length as AWS measures it: every character but whitespace."""
    return sum(1 for character in document if not character.isspace())


def too_large(document: str) -> bool:
    return policy_size(document) > MAX_POLICY_CHARS
