"""The AWS IoT documentation's examples (pub-sub-policy, basic-, thing- and cert-policy-variables,
as the data-plane note cites them), each decided as the documentation says."""

from __future__ import annotations

from typing import Any

from zaws.iot_policy import (
    Authorizer,
    ClientCertificate,
    ConnectionContext,
    IotArns,
    ThingInfo,
    compile_policy,
)

ARNS = IotArns("us-east-1", "123456789012")
P = "arn:aws:iot:us-east-1:123456789012"


def auth(
    context: ConnectionContext, *statements: dict[str, Any], name: str = "example"
) -> Authorizer:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return Authorizer([compile_policy(name, document)], context)


def allow(action: str, *resources: str, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": [action], "Resource": list(resources), **extra}


THING1 = ConnectionContext("thing1", ThingInfo("thing1"))


def test_plus_in_a_topicfilter_resource_is_literal() -> None:
    a = auth(THING1, allow("iot:Subscribe", f"{P}:topicfilter/some/+/topic"))
    assert a.allows("iot:Subscribe", ARNS.topicfilter("some/+/topic"))
    assert not a.allows("iot:Subscribe", ARNS.topicfilter("some/x/topic"))


def test_star_in_a_topicfilter_resource_covers_a_literal_plus() -> None:
    a = auth(THING1, allow("iot:Subscribe", f"{P}:topicfilter/some/*/topic"))
    assert a.allows("iot:Subscribe", ARNS.topicfilter("some/x/topic"))
    assert a.allows("iot:Subscribe", ARNS.topicfilter("some/+/topic"))


def test_denying_a_filter_prefix_does_not_stop_a_wider_filter_but_receive_does() -> None:
    a = auth(
        THING1,
        allow("iot:Subscribe", f"{P}:topicfilter/a/*"),
        {
            "Effect": "Deny",
            "Action": "iot:Subscribe",
            "Resource": f"{P}:topicfilter/a/restricted/*",
        },
        {"Effect": "Allow", "Action": "iot:Receive", "NotResource": f"{P}:topic/a/restricted/*"},
    )
    assert a.allows("iot:Subscribe", ARNS.topicfilter("a/#"))  # AWS's warning
    assert not a.allows("iot:Subscribe", ARNS.topicfilter("a/restricted/x"))
    assert a.allows("iot:Receive", ARNS.topic("a/open"))
    assert not a.allows("iot:Receive", ARNS.topic("a/restricted/x"))


def test_client_id_plus_opens_a_wildcard_subscription() -> None:
    plus = ConnectionContext("+")
    a = auth(plus, allow("iot:Subscribe", f"{P}:topicfilter/my/${{iot:ClientId}}/topic"))
    assert a.allows("iot:Subscribe", ARNS.topicfilter("my/+/topic"))
    guarded = auth(
        plus,
        allow("iot:Connect", f"{P}:client/clientid1"),
        allow("iot:Subscribe", f"{P}:topicfilter/my/${{iot:ClientId}}/topic"),
    )
    assert not guarded.allows("iot:Connect", ARNS.client("+"))


def test_registered_devices_publish_under_their_thing_name_except_bar() -> None:
    # pub-sub-policy "Registered devices (9)", with the documented thing variable
    a = auth(
        THING1,
        allow("iot:Connect", f"{P}:client/${{iot:Connection.Thing.ThingName}}"),
        allow("iot:Publish", f"{P}:topic/${{iot:Connection.Thing.ThingName}}/*"),
        {
            "Effect": "Deny",
            "Action": ["iot:Publish"],
            "Resource": [f"{P}:topic/${{iot:Connection.Thing.ThingName}}/bar"],
        },
    )
    assert a.allows("iot:Connect", ARNS.client("thing1"))
    assert a.allows("iot:Publish", ARNS.topic("thing1/foo"))
    assert a.check_request(ARNS.publish("thing1/bar")).explicit_deny
    assert not a.allows("iot:Publish", ARNS.topic("thing2/foo"))


def test_unregistered_devices_use_the_client_id() -> None:
    # pub-sub-policy "Unregistered devices (6)": rooms
    statements = (
        allow("iot:Connect", f"{P}:client/client1", f"{P}:client/client2", f"{P}:client/client3"),
        allow("iot:Subscribe", f"{P}:topicfilter/${{iot:ClientId}}/room*"),
        allow("iot:Receive", f"{P}:topic/${{iot:ClientId}}/room*"),
    )
    a = auth(ConnectionContext("client2"), *statements)
    assert a.allows("iot:Connect", ARNS.client("client2"))
    assert not a.allows("iot:Connect", ARNS.client("client4"))
    assert a.allows("iot:Subscribe", ARNS.topicfilter("client2/room1"))
    assert a.allows("iot:Receive", ARNS.topic("client2/room42"))
    assert not a.allows("iot:Receive", ARNS.topic("client1/room1"))


def test_is_attached_guards_connect() -> None:
    # thing-policy-examples: Bool iot:Connection.Thing.IsAttached "true"
    statement = allow(
        "iot:Connect",
        f"{P}:client/${{iot:Connection.Thing.ThingName}}",
        Condition={"Bool": {"iot:Connection.Thing.IsAttached": "true"}},
    )
    assert auth(THING1, statement).allows("iot:Connect", ARNS.client("thing1"))
    detached = ConnectionContext("thing1")
    assert not auth(detached, statement).allows("iot:Connect", ARNS.client("thing1"))


def test_thing_type_and_attributes() -> None:
    thing = ConnectionContext("lamp", ThingInfo("lamp", "bulb", {"room": "kitchen"}))
    a = auth(
        thing,
        allow(
            "iot:Publish",
            f"{P}:topic/${{iot:Connection.Thing.ThingTypeName}}/"
            "${iot:Connection.Thing.Attributes[room]}",
        ),
    )
    assert a.allows("iot:Publish", ARNS.topic("bulb/kitchen"))
    assert not a.allows("iot:Publish", ARNS.topic("bulb/hall"))


def test_organization_list_for_all_values() -> None:
    # cert-policy-variables, "Registered Devices (2)"
    statements = (
        allow("iot:Connect", f"{P}:client/${{iot:Connection.Thing.ThingName}}"),
        allow(
            "iot:Publish",
            f"{P}:topic/my/topic/${{iot:Connection.Thing.ThingName}}",
            Condition={
                "ForAllValues:StringEquals": {
                    "iot:Certificate.Subject.Organization.List": ["Example Corp", "AnyCompany"]
                }
            },
        ),
    )

    def publishes(*organizations: str) -> bool:
        cert = ClientCertificate(subject={"Organization": organizations})
        context = ConnectionContext("thing1", ThingInfo("thing1"), cert)
        return auth(context, *statements).allows("iot:Publish", ARNS.topic("my/topic/thing1"))

    assert publishes("Example Corp")
    assert publishes("AnyCompany", "Example Corp")
    assert not publishes("Example Corp", "Other")


def test_certificate_variables_index_and_limits() -> None:
    statement = allow(
        "iot:Publish",
        f"{P}:topic/${{iot:Certificate.Subject.CommonName}}",
        f"{P}:topic/c/${{iot:Certificate.Subject.Country.1}}",
        f"{P}:topic/id/${{iot:CertificateId}}",
        f"{P}:topic/sn/${{iot:Certificate.SerialNumber}}",
    )
    cert = ClientCertificate(
        subject={"CommonName": ("bulb-7",), "Country": ("US", "CA")},
        serial_number="10525",
        certificate_id="f00d",
    )
    a = auth(ConnectionContext("c", certificate=cert), statement)
    for topic in ("bulb-7", "c/CA", "id/f00d", "sn/10525"):
        assert a.allows("iot:Publish", ARNS.topic(topic)), topic
    assert not a.allows("iot:Publish", ARNS.topic("c/US"))
    wild = ClientCertificate(subject={"CommonName": ("bulb*",)})
    b = auth(ConnectionContext("c", certificate=wild), statement)
    assert not b.allows("iot:Publish", ARNS.topic("bulb*"))  # left as ${...}, not substituted
    assert b.allows("iot:Publish", ARNS.topic("${iot:Certificate.Subject.CommonName}"))
    one_country = ClientCertificate(subject={"Country": ("US",)})
    c = auth(ConnectionContext("c", certificate=one_country), statement)
    assert not c.allows("iot:Publish", ARNS.topic("c/US"))  # no second value: authorization fails
