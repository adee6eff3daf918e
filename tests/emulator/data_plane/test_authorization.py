"""Who may connect and what they may do, as AWS IoT Core decides it, from the emulator's state:
certificates by status, policies of the certificate and of the thing's groups, Deny over Allow,
policy variables, and control-plane changes that take effect on a connected device at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest

from tests.emulator.data_plane.mqtt_devices import (
    ALLOW_ALL,
    WAIT_S,
    Credentials,
    dial,
    endpoint,
    iot,
    make_device,
    policy_document,
    unique,
)
from tests.support.self_signed import self_signed

__all__ = ["dial", "endpoint", "iot"]  # fixtures

ARN = "arn:aws:iot:us-east-1:123456789012"
CONNECT_ANY = {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}


def refused(device: Any, mqtt5: bool = False) -> None:
    assert device.disconnected.wait(WAIT_S)
    assert not device.connected.is_set()
    if mqtt5:
        assert [c.value for c in device.connect_codes] == [0x87]  # not authorized
    else:
        assert device.connect_codes == []  # 3.1.1: closed without a CONNACK, as AWS does


@pytest.mark.parametrize("status", ["INACTIVE", "REVOKED", "deleted"])
def test_only_active_certificates_connect(iot: Any, dial: Any, tmp_path: Path, status: str) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL, thing=False)
    if status == "deleted":
        iot.update_certificate(certificateId=credentials.certificate_id, newStatus="INACTIVE")
        iot.delete_certificate(certificateId=credentials.certificate_id, forceDelete=True)
    else:
        iot.update_certificate(certificateId=credentials.certificate_id, newStatus=status)
    refused(dial(name, credentials, wait=False))
    refused(dial(name, credentials, wait=False, protocol=mqtt.MQTTv5), mqtt5=True)


def test_an_unregistered_certificate_cannot_even_handshake(
    iot: Any, dial: Any, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    key_file = tmp_path / "k.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    stranger = Credentials("-", "-", tmp_path / "c.pem", key_file)
    stranger.cert_file.write_text(_self_signed(key))
    device = dial(unique("stranger"), stranger, wait=False)
    assert device.disconnected.wait(WAIT_S) or not device.connected.wait(1)
    assert not device.connected.is_set()


def _self_signed(key: Any) -> str:
    return self_signed("stranger", key, days=30)[1]


def test_a_certificate_registered_without_a_ca_connects(
    iot: Any, dial: Any, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = _self_signed(key)
    registered = iot.register_certificate_without_ca(certificatePem=pem, status="ACTIVE")
    policy = unique("p")
    iot.create_policy(policyName=policy, policyDocument=policy_document(ALLOW_ALL))
    iot.attach_policy(policyName=policy, target=registered["certificateArn"])
    cert_file, key_file = tmp_path / "own.pem", tmp_path / "own-key.pem"
    cert_file.write_text(pem)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    own = Credentials(
        registered["certificateId"], registered["certificateArn"], cert_file, key_file
    )
    device = dial(unique("own"), own)
    assert device.subscribe("own/topic") == [1]


@pytest.mark.parametrize("protocol", [mqtt.MQTTv311, mqtt.MQTTv5])
def test_no_policy_or_another_client_id_is_refused(
    iot: Any, dial: Any, tmp_path: Path, protocol: int
) -> None:
    name, bare = make_device(iot, tmp_path)  # no policy at all
    refused(dial(name, bare, wait=False, protocol=protocol), mqtt5=protocol == mqtt.MQTTv5)
    own_only = {"Effect": "Allow", "Action": "iot:Connect", "Resource": f"{ARN}:client/only-me"}
    _, credentials = make_device(iot, tmp_path, own_only)
    dial("only-me", credentials, protocol=protocol)
    refused(dial("someone-else", credentials, wait=False, protocol=protocol), protocol == 5)


def test_publish_subscribe_and_receive_each_need_their_action(
    iot: Any, dial: Any, tmp_path: Path
) -> None:
    allowed = [
        CONNECT_ANY,
        {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": f"{ARN}:topicfilter/a/*"},
        {"Effect": "Allow", "Action": "iot:Publish", "Resource": f"{ARN}:topic/a/*"},
        {"Effect": "Allow", "Action": "iot:Receive", "Resource": f"{ARN}:topic/a/yes"},
    ]
    name, credentials = make_device(iot, tmp_path, *allowed)
    device = dial(name, credentials)
    assert device.subscribe("a/#") == [1]
    assert device.subscribe("b/#") == [0x80]
    device.publish("a/no", b"not received")  # published, but iot:Receive refuses its delivery
    device.publish("a/yes", b"received")
    assert device.message().payload == b"received"
    assert device.no_message()
    device.client.publish("b/x", b"refused", 1)  # iot:Publish refused: AWS closes
    assert device.disconnected.wait(WAIT_S)


def test_mqtt5_gets_aws_reason_codes(iot: Any, dial: Any, tmp_path: Path) -> None:
    subscribe_a = {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": f"{ARN}:topicfilter/a"}
    name, credentials = make_device(iot, tmp_path, CONNECT_ANY, subscribe_a)
    device = dial(name, credentials, protocol=mqtt.MQTTv5)
    assert device.subscribe("a") == [1]
    assert device.subscribe("b") == [0x87]
    device.client.publish("a", b"x", 1)
    assert device.disconnected.wait(WAIT_S)
    assert [c.value for c in device.disconnect_codes] == [0x87]


def test_deny_beats_allow(iot: Any, dial: Any, tmp_path: Path) -> None:
    deny = {"Effect": "Deny", "Action": "iot:Subscribe", "Resource": f"{ARN}:topicfilter/secret/*"}
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL, deny)
    device = dial(name, credentials)
    assert device.subscribe("public/x") == [1]
    assert device.subscribe("secret/x") == [0x80]


def test_policy_variables_of_the_connection(iot: Any, dial: Any, tmp_path: Path) -> None:
    statements = [
        {"Effect": "Allow", "Action": "iot:Connect", "Resource": f"{ARN}:client/${{iot:ClientId}}"},
        {
            "Effect": "Allow",
            "Action": "iot:Subscribe",
            "Resource": [
                f"{ARN}:topicfilter/thing/${{iot:Connection.Thing.ThingName}}",
                f"{ARN}:topicfilter/room/${{iot:Connection.Thing.Attributes[room]}}",
            ],
        },
        {
            "Effect": "Allow",
            "Action": "iot:Subscribe",
            "Resource": f"{ARN}:topicfilter/attached-only",
            "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}},
        },
    ]
    name, credentials = make_device(iot, tmp_path, *statements, attributes={"room": "kitchen"})
    device = dial(name, credentials)
    assert device.subscribe(f"thing/{name}") == [1]
    assert device.subscribe("thing/other") == [0x80]
    assert device.subscribe("room/kitchen") == [1]
    assert device.subscribe("room/garage") == [0x80]
    assert device.subscribe("attached-only") == [1]
    device.stop()
    # the same certificate under another client id: no thing, so no thing variables
    stranger = dial(unique("free"), credentials)
    assert stranger.subscribe(f"thing/{name}") == [0x80]
    assert stranger.subscribe("attached-only") == [0x80]


def test_a_thing_groups_policy_applies(iot: Any, dial: Any, tmp_path: Path) -> None:
    name, credentials = make_device(iot, tmp_path, CONNECT_ANY)
    group = unique("group")
    iot.create_thing_group(thingGroupName=group)
    iot.add_thing_to_thing_group(thingGroupName=group, thingName=name)
    policy = unique("group-policy")
    subscribe = {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": f"{ARN}:topicfilter/g"}
    iot.create_policy(policyName=policy, policyDocument=policy_document(subscribe))
    group_arn = iot.describe_thing_group(thingGroupName=group)["thingGroupArn"]
    iot.attach_policy(policyName=policy, target=group_arn)
    device = dial(name, credentials)
    assert device.subscribe("g") == [1]


def test_a_policy_detached_while_connected_applies_at_once(
    iot: Any, dial: Any, tmp_path: Path
) -> None:
    name, credentials = make_device(iot, tmp_path, CONNECT_ANY)
    policy = unique("extra")
    subscribe = {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "*"}
    iot.create_policy(policyName=policy, policyDocument=policy_document(subscribe))
    iot.attach_policy(policyName=policy, target=credentials.certificate_arn)
    device = dial(name, credentials)
    assert device.subscribe("x/1") == [1]
    iot.detach_policy(policyName=policy, target=credentials.certificate_arn)
    assert device.subscribe("x/2") == [0x80]


def test_a_certificate_deactivated_while_connected_is_disconnected(
    iot: Any, dial: Any, tmp_path: Path
) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    device = dial(name, credentials)
    assert device.subscribe("d/1") == [1]
    iot.update_certificate(certificateId=credentials.certificate_id, newStatus="INACTIVE")
    device.client.subscribe("d/2", 1)
    assert device.disconnected.wait(WAIT_S)


def test_a_revoked_subscriber_gets_nothing_more(iot: Any, dial: Any, tmp_path: Path) -> None:
    name, credentials = make_device(iot, tmp_path, ALLOW_ALL)
    sender_name, sender_credentials = make_device(iot, tmp_path, ALLOW_ALL)
    receiver = dial(name, credentials)
    assert receiver.subscribe(f"rv/{name}") == [1]
    sender = dial(sender_name, sender_credentials)
    iot.update_certificate(certificateId=credentials.certificate_id, newStatus="REVOKED")
    sender.publish(f"rv/{name}", b"not for you")
    assert receiver.disconnected.wait(WAIT_S)
    assert receiver.messages.empty()


def test_thing_type_and_certificate_variables(iot: Any, dial: Any, tmp_path: Path) -> None:
    thing_type = unique("type")
    iot.create_thing_type(thingTypeName=thing_type)
    name, credentials = make_device(iot, tmp_path, CONNECT_ANY, thing=False)
    iot.create_thing(thingName=name, thingTypeName=thing_type)
    iot.attach_thing_principal(thingName=name, principal=credentials.certificate_arn)
    by_variables = {
        "Effect": "Allow",
        "Action": "iot:Subscribe",
        "Resource": [
            f"{ARN}:topicfilter/type/${{iot:Connection.Thing.ThingTypeName}}",
            f"{ARN}:topicfilter/cn/${{iot:Certificate.Subject.CommonName}}",
        ],
    }
    policy = unique("variables")
    iot.create_policy(policyName=policy, policyDocument=policy_document(by_variables))
    iot.attach_policy(policyName=policy, target=credentials.certificate_arn)
    device = dial(name, credentials)
    assert device.subscribe(f"type/{thing_type}") == [1]
    assert device.subscribe("type/other") == [0x80]
    assert device.subscribe("cn/AWS IoT Certificate") == [1]  # the subject AWS gives its own
    assert device.subscribe("cn/someone") == [0x80]
