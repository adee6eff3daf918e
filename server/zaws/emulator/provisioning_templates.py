"""AWS IoT provisioning templates (the bulk-registration kind), resolved for one device's values.

A template has `Parameters` (each with a `Type` and an optional `Default`) and `Resources`, each a
logical name with a `Type` and `Properties`. Property values are literals or `{"Ref": "Param"}`;
`Fn::Join` ([separator, [parts]]) is resolved too. The resources the emulator provisions are the
ones AWS documents for bulk registration: `AWS::IoT::Thing` (ThingName, AttributePayload,
ThingTypeName), `AWS::IoT::Certificate` (CertificateSigningRequest, Status) and `AWS::IoT::Policy`
by `PolicyName` (an existing policy, attached to the certificate). Anything else is refused with
the reason, as a line of the task's error report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


class TemplateError(ValueError):
    """The template, or one device's values, cannot be provisioned; the message says why."""


@dataclass(frozen=True)
class ResolvedResources:
    thing_name: str
    csr: str
    certificate_active: bool
    attributes: dict[str, str] = field(default_factory=dict)
    thing_type: str | None = None
    policies: list[str] = field(default_factory=list)


def parse_template(body: str) -> dict[str, Any]:
    """The template as JSON; TemplateError for one that is not an object with Resources."""
    try:
        template = json.loads(body)
    except ValueError as err:
        raise TemplateError(f"The template body is not JSON: {err}") from None
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        raise TemplateError("The template body must be a JSON object with Resources")
    for name, resource in template["Resources"].items():
        kind = resource.get("Type") if isinstance(resource, dict) else None
        if kind not in ("AWS::IoT::Thing", "AWS::IoT::Certificate", "AWS::IoT::Policy"):
            raise TemplateError(f"Resource {name} has an unsupported type {kind!r}")
    return template


def resolve(template: dict[str, Any], values: dict[str, Any]) -> ResolvedResources:
    """The resources for one device's values (one line of the input file)."""
    parameters = _parameter_values(template, values)
    things: list[tuple[str, dict[str, Any]]] = []
    certificates: list[tuple[str, dict[str, Any]]] = []
    policies: list[tuple[str, dict[str, Any]]] = []
    for name, resource in template["Resources"].items():
        properties = _resolve(resource.get("Properties") or {}, parameters, name)
        kind = resource["Type"]
        (
            things
            if kind == "AWS::IoT::Thing"
            else certificates
            if kind == "AWS::IoT::Certificate"
            else policies
        ).append((name, properties))
    if len(things) != 1 or len(certificates) != 1:
        raise TemplateError("The template must have one AWS::IoT::Thing and one certificate")
    thing, cert = things[0][1], certificates[0][1]
    thing_name = thing.get("ThingName")
    csr = cert.get("CertificateSigningRequest")
    if not isinstance(thing_name, str) or not thing_name:
        raise TemplateError("The thing has no ThingName")
    if not isinstance(csr, str) or not csr:
        raise TemplateError("The certificate has no CertificateSigningRequest")
    payload = thing.get("AttributePayload") or {}
    if not isinstance(payload, dict) or not all(isinstance(v, str) for v in payload.values()):
        raise TemplateError("The thing's AttributePayload must map names to strings")
    policy_names = []
    for name, properties in policies:
        if "PolicyDocument" in properties or not isinstance(properties.get("PolicyName"), str):
            raise TemplateError(
                f"Policy {name}: only an existing policy by PolicyName is supported"
            )
        policy_names.append(properties["PolicyName"])
    thing_type = thing.get("ThingTypeName")
    return ResolvedResources(
        thing_name=thing_name,
        csr=csr,
        certificate_active=cert.get("Status", "INACTIVE") == "ACTIVE",
        attributes=dict(payload),
        thing_type=thing_type if isinstance(thing_type, str) else None,
        policies=policy_names,
    )


def _parameter_values(template: dict[str, Any], values: dict[str, Any]) -> dict[str, str]:
    declared = template.get("Parameters") or {}
    resolved: dict[str, str] = {}
    for name, spec in declared.items():
        if name in values:
            resolved[name] = str(values[name])
        elif isinstance(spec, dict) and "Default" in spec:
            resolved[name] = str(spec["Default"])
        else:
            raise TemplateError(f"No value for the template's parameter {name}")
    return resolved


def _resolve(value: Any, parameters: dict[str, str], where: str) -> Any:
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            name = value["Ref"]
            if name not in parameters:
                raise TemplateError(f"{where}: Ref to an undeclared parameter {name!r}")
            return parameters[name]
        if set(value) == {"Fn::Join"}:
            separator, parts = value["Fn::Join"]
            return str(separator).join(str(_resolve(p, parameters, where)) for p in parts)
        return {key: _resolve(item, parameters, where) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, parameters, where) for item in value]
    return value
