"""AWS IoT policy evaluation, outside the emulator and usable without a connection.

The emulator's MQTT broker authorizes every CONNECT, PUBLISH, SUBSCRIBE and delivery with it; the
simulated devices and `zaws mqtt` use it to say in words why a request is refused. Typical use:

    policies = [compile_policy(name, document, version) for name, document, version in attached]
    auth = Authorizer(policies, ConnectionContext(client_id, thing, certificate, source_ip))
    arns = IotArns(region, account)
    decision = auth.check_request(arns.publish(topic))
    if not decision.allowed:
        log(decision.refusal())   # "policy zerynth-devices does not allow publishing to ..."

`compile_policy` caches per (name, version, document); an `Authorizer` belongs to one connection
and is rebuilt when its policies or attachments change.
"""

from zaws.iot_policy.arns import (
    CONNECT,
    PUBLISH,
    RECEIVE,
    RETAIN_PUBLISH,
    SUBSCRIBE,
    IotArns,
    Request,
    short_resource,
)
from zaws.iot_policy.authorizer import Authorizer, evaluate
from zaws.iot_policy.compiled import CompiledPolicy, compile_policy
from zaws.iot_policy.context import ClientCertificate, ConnectionContext, ThingInfo
from zaws.iot_policy.decision import Decision, StatementRef, UnmetCondition
from zaws.iot_policy.document import MalformedPolicy, PolicyDocument, parse_policy

__all__ = [
    "CONNECT",
    "PUBLISH",
    "RECEIVE",
    "RETAIN_PUBLISH",
    "SUBSCRIBE",
    "Authorizer",
    "ClientCertificate",
    "CompiledPolicy",
    "ConnectionContext",
    "Decision",
    "IotArns",
    "MalformedPolicy",
    "PolicyDocument",
    "Request",
    "StatementRef",
    "ThingInfo",
    "UnmetCondition",
    "compile_policy",
    "evaluate",
    "parse_policy",
    "short_resource",
]
