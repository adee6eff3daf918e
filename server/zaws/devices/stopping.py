"""How a simulated device stops whatever it is doing: each of its waits checks its stop.

A device asked to stop may be booting or running a FOTA job rather than idling in its main loop:
`DeviceLink`'s waits (the CONNACK, SUBACKs, PUBACKs, the Jobs answers) and the firmware download
raise `DeviceStopped` (or the connection's `ConnectionInterrupted`) within about a second of the
stop, and `SimulatedDevice.run` disconnects cleanly without reporting an error.
`STOPS_WITHIN_S` is how long whoever stops a device waits for its thread: what a stop cannot cut
short (paho's TCP and TLS handshake, bounded by the connect timeout; one stalled download read)
plus the DISCONNECT.
"""

from __future__ import annotations

CONNECT_S = 15.0  # DeviceOptions.timeout: paho's blocking connect and handshake
DOWNLOAD_READ_S = 10.0  # the firmware download's connection, and each of its reads
DISCONNECT_S = 5.5  # MqttConnection.close: the DISCONNECT written, the socket closed
STOPS_WITHIN_S = max(CONNECT_S, DOWNLOAD_READ_S) + DISCONNECT_S + 1.0


class DeviceStopped(Exception):
    """The device's stop was set while it waited: it ends what it does, and disconnects."""
