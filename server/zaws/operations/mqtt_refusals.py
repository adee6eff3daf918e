"""Why AWS IoT refused a connection, a subscription or a publication, in words.

The broker says little: AWS closes the connection on an unauthorized CONNECT or PUBLISH and
answers an unauthorized SUBSCRIBE with a failure code. In local mode zaws can say why, from the
emulator's own state read through boto3: the certificate's status, whether it is attached to the
thing its client id names, and the policy evaluator (`zaws.iot_policy`) run on the certificate's
policies and its thing groups' with the thing's attributes, e.g. "policy zerynth-devices does not
allow client id x (iot:Connect on client/x)". Against AWS it says what was refused and how to
find out why (`zaws device check`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zaws.errors import ZawsError
from zaws.mqtt.connection import AwsIdentity, ConnectionLost, ConnectionRefused, ThingIdentity
from zaws.mqtt.messages import SubscriptionOutcome

if TYPE_CHECKING:
    from zaws.iot_policy import Authorizer
    from zaws.operations.mqtt_connect import MqttTarget

CHECK_HINT = "`zaws device check PROJECT --thing NAME` checks the thing's certificate and policy"


class MqttRefused(ZawsError):
    """AWS IoT (or the emulator) refused a connection, a subscription or a publication."""

    code = "zaws.mqttRefused"
    rpc_code = -32015


@dataclass(frozen=True)
class ThingAccount:
    """What the emulator knows of a thing's certificate: the base of every explanation."""

    status: str | None  # None: the certificate is not registered
    authorizer: Authorizer | None  # its policies, bound to the connection's variables
    region: str
    account: str


def explain_refused_connection(target: MqttTarget, refused: ConnectionRefused) -> ZawsError:
    who = target.identity.describe()
    where = target.endpoint.describe()
    reason = refused.disconnection.reason if refused.disconnection else refused.message
    if isinstance(target.identity, AwsIdentity):
        hint = (
            "the emulator allows its local credentials everything: check that it runs"
            if target.settings.local
            else "check the credentials, the region and the IAM policy (iot:Connect)"
        )
        return MqttRefused(f"{where} refused the connection of {who}: {reason}", hint)
    if target.settings.local and refused.disconnection is not None:
        words = _local_connect_words(target)
        if words is not None:
            message, hint = words
            return MqttRefused(f"{where} refused the connection of {who}: {message}", hint)
    return MqttRefused(
        f"{where} refused the connection of {who} ({reason}); AWS IoT does not say why",
        f"the certificate may be inactive or the policy may not allow iot:Connect; {CHECK_HINT}",
    )


def explain_refused_subscription(target: MqttTarget, outcome: SubscriptionOutcome) -> str:
    """One sentence for a refused filter (the broker's failure code as a last resort)."""
    if target.settings.local and isinstance(target.identity, ThingIdentity):
        account = _thing_account(target)
        if account is not None and account.authorizer is not None:
            from zaws.iot_policy import IotArns

            arns = IotArns(account.region, account.account)
            decision = account.authorizer.check_request(arns.subscribe(outcome.topic_filter))
            if not decision.allowed:
                return decision.refusal()
    text = f"subscribing to {outcome.topic_filter} was refused ({outcome.reason or 'failure'})"
    if not target.settings.local and isinstance(target.identity, ThingIdentity):
        text += f"; {CHECK_HINT}"
    return text


def explain_lost_subscription(
    target: MqttTarget, filters: list[str], lost: ConnectionLost
) -> ZawsError:
    """On MQTT 3.1.1 AWS may close the connection on an unauthorized SUBSCRIBE: say why."""
    who = target.identity.describe()
    where = target.endpoint.describe()
    reasons = [
        explain_refused_subscription(target, SubscriptionOutcome(f, None, "connection closed"))
        for f in filters
    ]
    known = [r for r in reasons if "was refused" not in r]
    return MqttRefused(
        f"{where} closed the connection of {who} on its SUBSCRIBE: "
        + ("; ".join(known) if known else ", ".join(filters)),
        "subscribe to filters the policy allows" if known else CHECK_HINT,
    )


def explain_lost_publication(target: MqttTarget, topic: str, lost: ConnectionLost) -> ZawsError:
    """AWS closes the connection on an unauthorized PUBLISH: say which rule refused it."""
    who = target.identity.describe()
    where = target.endpoint.describe()
    if target.settings.local and isinstance(target.identity, ThingIdentity):
        account = _thing_account(target)
        if account is not None and account.authorizer is not None:
            from zaws.iot_policy import IotArns

            arns = IotArns(account.region, account.account)
            decision = account.authorizer.check_request(arns.publish(topic))
            if not decision.allowed:
                return MqttRefused(
                    f"{where} closed the connection of {who} on its PUBLISH: {decision.refusal()}",
                    "allow iot:Publish on that topic in the policy, or publish to another",
                )
    return MqttRefused(
        f"{where} closed the connection of {who} on its PUBLISH to {topic} "
        "(AWS IoT does this when the policy does not allow iot:Publish on the topic)",
        CHECK_HINT if isinstance(target.identity, ThingIdentity) else lost.hint,
    )


def _local_connect_words(target: MqttTarget) -> tuple[str, str] | None:
    identity = target.identity
    assert isinstance(identity, ThingIdentity) and target.thing is not None
    account = _thing_account(target)
    if account is None:
        return None
    cert_id = target.thing.cert_id
    if account.status is None:
        return (
            f"its certificate {cert_id[:12]}... is not registered in the account "
            "(deleted, or never made there)",
            "add a new thing with `zaws add-things PROJECT`",
        )
    if account.status != "ACTIVE":
        return (
            f"its certificate {cert_id[:12]}... is {account.status}, and AWS IoT accepts only "
            "ACTIVE certificates",
            f"activate it: aws iot update-certificate --certificate-id {cert_id} "
            "--new-status ACTIVE",
        )
    if account.authorizer is not None:
        from zaws.iot_policy import IotArns

        arns = IotArns(account.region, account.account)
        decision = account.authorizer.check_request(arns.connect(identity.client_id))
        if not decision.allowed:
            return decision.refusal(), "change the policy, or the thing's mqttid"
    return None


def _thing_account(target: MqttTarget) -> ThingAccount | None:
    """The certificate's status and policies in the emulator; None when they cannot be read."""
    from botocore.exceptions import BotoCoreError, ClientError

    from zaws.aws.clients import AwsClients
    from zaws.aws.errors import is_not_found

    record = target.thing
    identity = target.identity
    if record is None or not isinstance(identity, ThingIdentity):
        return None
    _, _, _, region, account = record.cert_arn.split(":", 5)[:5]
    try:
        iot = AwsClients(target.settings).iot
        try:
            status = iot.describe_certificate(certificateId=record.cert_id)[
                "certificateDescription"
            ]["status"]
        except ClientError as err:
            if is_not_found(err):
                return ThingAccount(None, None, region, account)
            raise
        authorizer = _authorizer(iot, target, identity)
    except (BotoCoreError, ClientError, ZawsError, OSError, ValueError):
        return None
    return ThingAccount(str(status), authorizer, region, account)


def _authorizer(iot: Any, target: MqttTarget, identity: ThingIdentity) -> Authorizer:
    from botocore.exceptions import ClientError
    from cryptography import x509

    from zaws.iot_policy import (
        Authorizer,
        ClientCertificate,
        ConnectionContext,
        ThingInfo,
        compile_policy,
    )

    record = target.thing
    assert record is not None
    targets = [record.cert_arn]
    thing: ThingInfo | None = None
    try:
        principals = iot.list_thing_principals(thingName=identity.client_id).get("principals", [])
    except ClientError:
        principals = []
    if record.cert_arn in principals:
        described = iot.describe_thing(thingName=identity.client_id)
        thing = ThingInfo(
            name=identity.client_id,
            type_name=described.get("thingTypeName"),
            attributes=dict(described.get("attributes") or {}),
        )
        groups = iot.list_thing_groups_for_thing(thingName=identity.client_id)
        targets += [group["groupArn"] for group in groups.get("thingGroups", [])]
    policies = []
    for arn in targets:
        for attached in iot.list_attached_policies(target=arn).get("policies", []):
            found = iot.get_policy(policyName=attached["policyName"])
            policies.append(
                compile_policy(
                    found["policyName"], found["policyDocument"], found.get("defaultVersionId")
                )
            )
    certificate = x509.load_pem_x509_certificate(record.certificate_path.read_bytes())
    context = ConnectionContext(
        client_id=identity.client_id,
        thing=thing,
        certificate=ClientCertificate.from_x509(certificate, record.cert_id),
        source_ip="127.0.0.1",
    )
    return Authorizer(policies, context)
