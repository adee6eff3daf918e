"""The process's one MQTT network thread (mqtt/network_loop.py) on the emulator's endpoint: a
socket numbered past select()'s 1024 works, many connections share the thread, keep-alive
PINGREQs keep an idle connection open, and a closed connection leaves the selector."""

from __future__ import annotations

import contextlib
import gc
import os
import resource
import selectors
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mqtt.emulator_endpoint import require_mqtt_endpoint
from zaws.aws.settings import AwsSettings
from zaws.mqtt.connection import MqttConnection, ThingIdentity
from zaws.mqtt.network_loop import shared_network_loop
from zaws.operations.add_things import add_things
from zaws.project.thing_project import ThingProject

WAIT_S = 20
PAST_SELECT_LIMIT = 1100  # select() refuses file descriptors >= FD_SETSIZE (1024)


@contextlib.contextmanager
def low_descriptors_taken() -> Iterator[None]:
    """Every descriptor below PAST_SELECT_LIMIT in use, so the next socket is numbered above."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < PAST_SELECT_LIMIT + 100:
        pytest.skip(f"needs RLIMIT_NOFILE >= {PAST_SELECT_LIMIT + 100} (hard limit {hard})")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, PAST_SELECT_LIMIT + 100), hard))
    gc.collect()  # an earlier test's socket closed by a collection now, not during the connect
    taken = [os.open(os.devnull, os.O_RDONLY)]
    while (fd := os.dup(taken[0])) < PAST_SELECT_LIMIT:
        taken.append(fd)
    os.close(fd)
    try:
        yield
    finally:
        for fd in taken:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_connection_whose_socket_is_numbered_past_1024_works(
    sensor: ThingIdentity, aws: AwsSettings
) -> None:
    endpoint = require_mqtt_endpoint(aws.home)
    with MqttConnection(endpoint, sensor) as device:
        with low_descriptors_taken():  # taken last: nothing else opens or closes one meanwhile
            device.connect(WAIT_S)
        sock = device._client.socket()
        assert sock is not None and sock.fileno() >= PAST_SELECT_LIMIT
        [granted] = device.subscribe(["sensor_0/in"], qos=1, timeout=WAIT_S)
        assert not granted.refused
        device.publish("sensor_0/in", b"past select", qos=1, timeout=WAIT_S)
        assert device.inbox.get(timeout=WAIT_S).payload == b"past select"
        assert device.is_connected


def test_connections_share_one_network_thread_and_leave_its_selector_when_closed(
    project: Path, aws: AwsSettings
) -> None:
    endpoint = require_mqtt_endpoint(aws.home)
    add_things(project, aws=aws, base_name="pair", count=2)
    things = ThingProject.open(project)
    identities = [
        ThingIdentity(name, name, record.certificate_path, record.private_key_path)
        for name in ("pair_0", "pair_1")
        for record in [things.thing(name)]
    ]
    before = {thread.ident for thread in threading.enumerate()}
    connections = [MqttConnection(endpoint, identity) for identity in identities]
    try:
        for connection in connections:
            connection.connect(WAIT_S)
        started = [t for t in threading.enumerate() if t.ident not in before]
        assert [t.name for t in threading.enumerate()].count("mqtt network") == 1
        assert all(t.name == "mqtt network" for t in started)
        registered = shared_network_loop()._selector.get_map()
        sockets = [c._client.socket() for c in connections]
        assert all(s is not None and s.fileno() in registered for s in sockets)
        numbers = [s.fileno() for s in sockets if s is not None]
    finally:
        for connection in connections:
            connection.close()
    assert all(c.disconnection is not None and c.disconnection.expected for c in connections)
    assert not any(number in registered for number in numbers)


def test_keep_alive_pings_keep_an_idle_connection_open(
    sensor: ThingIdentity, aws: AwsSettings
) -> None:
    """Keep-alive 2 s: the emulator closes a client silent for 3 s; the loop's PINGREQs
    (loop_misc, four times a second) keep this one open through 6 s of no traffic of its own."""
    endpoint = require_mqtt_endpoint(aws.home)
    with MqttConnection(endpoint, sensor, keepalive=2) as device:
        device.connect(WAIT_S)
        assert device.wait_closed(6.0) is None
        device.publish("sensor_0/in", b"still here", qos=1, timeout=WAIT_S)


def test_a_packet_queued_while_writing_was_being_unregistered_is_still_written(
    sensor: ThingIdentity, aws: AwsSettings
) -> None:
    """paho's "registered for writing" flag is not thread-safe: a packet queued by a device's
    thread just as the network thread unregisters writing finds the flag still set, so paho
    asks nothing, and the selector no longer waits to write. That state, made here by hand
    (the race needs ~200 busy devices to happen), must still get the packet written."""
    endpoint = require_mqtt_endpoint(aws.home)
    with MqttConnection(endpoint, sensor) as device:
        device.connect(WAIT_S)
        client, sock = device._client, device._client.socket()
        loop = shared_network_loop()
        client._registered_write = True  # the flag as the racing thread saw it
        loop._modify(sock, selectors.EVENT_READ, client)  # as the network thread left it
        published = device.publish("sensor_0/raced", b"queued", qos=1, timeout=WAIT_S)
        assert published.acknowledged
