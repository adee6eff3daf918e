"""Opening an MQTT connection for a project: which endpoint, which identity, and refusals in words.

Steps: read the project (its endpoint, and with `thing` that thing's record: key, certificate,
mqttid); pick the endpoint (the emulator's in local mode, thing.conf.json's on AWS); pick the
identity (the thing, or by default the user's AWS identity with a client id of its own, so
watching never takes over a device's connection); connect. A refused connection becomes a
ZawsError that says why (`mqtt_refusals`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zaws.aws.settings import LOCAL_REGION, AwsSettings
from zaws.errors import CredentialsMissing, ProjectError
from zaws.mqtt.endpoints import MqttEndpoint, endpoint_for_project
from zaws.mqtt.sigv4_websocket import SigningCredentials
from zaws.project import layout
from zaws.project.config_files import read_json_object
from zaws.project.thing_project import ThingProject, ThingRecord

if TYPE_CHECKING:
    from zaws.mqtt.connection import (
        DisconnectCallback,
        Identity,
        MessageCallback,
        MqttConnection,
    )

CONNECT_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class MqttTarget:
    """Where and as whom a zaws MQTT client connects."""

    project: ThingProject
    endpoint: MqttEndpoint
    identity: Identity
    thing: ThingRecord | None  # the thing connected as, None for the user's AWS identity
    settings: AwsSettings


def resolve_target(project: Path, *, aws: AwsSettings, thing: str | None = None) -> MqttTarget:
    return resolve_targets(project, aws=aws, things=[thing])[0]


def resolve_targets(
    project: Path, *, aws: AwsSettings, things: Sequence[str | None]
) -> list[MqttTarget]:
    """One target per thing (None: the user's AWS identity); the project is read and the
    endpoint found once for all of them (a fleet of simulated devices)."""
    opened = ThingProject.open(project)
    endpoint = endpoint_for_project(opened.config(), local=aws.local, home=aws.home)
    return [_target(opened, endpoint, aws, thing) for thing in things]


def _target(
    opened: ThingProject, endpoint: MqttEndpoint, aws: AwsSettings, thing: str | None
) -> MqttTarget:
    from zaws.mqtt.connection import AwsIdentity, ThingIdentity, user_client_id

    identity: Identity
    record: ThingRecord | None = None
    if thing is not None:
        record = opened.thing(thing)
        if record.key_on_device:
            raise ProjectError(
                f"Thing {record.name}'s private key lives on its device (made from "
                f"{record.device_key.csr_file if record.device_key else 'its CSR'}): "
                "zaws cannot connect as it",
                "watch its topics as yourself (leave out --thing), or connect as a thing whose "
                "key is in the project",
            )
        if record.missing_files:
            raise ProjectError(
                f"Thing {record.name} has no {' and no '.join(record.missing_files)} "
                f"in {record.folder}",
                "a thing connects with its own key and certificate; restore them or add a thing",
            )
        conf = read_json_object(record.folder / layout.THING_CONF, what=layout.THING_CONF)
        client_id = conf.get("mqttid")
        identity = ThingIdentity(
            thing_name=record.name,
            client_id=client_id if isinstance(client_id, str) and client_id else record.name,
            certificate_file=record.certificate_path,
            private_key_file=record.private_key_path,
        )
    else:
        region, credentials = user_credentials(aws)
        identity = AwsIdentity(user_client_id(), region, credentials)
    return MqttTarget(opened, endpoint, identity, record, aws)


def user_credentials(aws: AwsSettings) -> tuple[str, SigningCredentials]:
    """The region and frozen credentials the user's AWS identity signs with."""
    if aws.local:
        from zaws.aws.clients import LOCAL_CREDENTIALS

        return aws.region or LOCAL_REGION, SigningCredentials(
            LOCAL_CREDENTIALS["aws_access_key_id"], LOCAL_CREDENTIALS["aws_secret_access_key"]
        )
    import boto3

    from zaws.aws.errors import CONFIGURE_HINT, aws_errors

    with aws_errors("reading the AWS configuration"):
        session = boto3.Session(profile_name=aws.profile, region_name=aws.region)
        found = session.get_credentials()
        frozen = found.get_frozen_credentials() if found is not None else None
    if frozen is None or not frozen.access_key or not frozen.secret_key:
        raise CredentialsMissing("No AWS credentials found", CONFIGURE_HINT)
    if not session.region_name:
        raise CredentialsMissing(
            "No AWS region configured",
            "pass --region, set AWS_REGION, or add `region` to the profile",
        )
    return session.region_name, SigningCredentials(
        frozen.access_key, frozen.secret_key, frozen.token
    )


def open_connection(
    target: MqttTarget,
    *,
    on_message: MessageCallback | None = None,
    on_disconnect: DisconnectCallback | None = None,
    timeout: float = CONNECT_TIMEOUT_S,
    stopped: Callable[[], bool] | None = None,
) -> MqttConnection:
    """A connected MqttConnection; a refusal raises a ZawsError explaining it. With `stopped`,
    every wait of the connection ends soon after it says so (`ConnectionInterrupted`)."""
    from zaws.mqtt.connection import ConnectionRefused, MqttConnection
    from zaws.operations.mqtt_refusals import explain_refused_connection

    connection = MqttConnection(
        target.endpoint,
        target.identity,
        on_message=on_message,
        on_disconnect=on_disconnect,
        stopped=stopped,
    )
    try:
        connection.connect(timeout)
    except ConnectionRefused as refused:
        connection.close()
        raise explain_refused_connection(target, refused) from None
    except BaseException:
        connection.close()
        raise
    return connection
