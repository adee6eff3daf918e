"""The MQTT client side of zaws: one connection module for every zaws client.

`zaws mqtt subscribe|publish` and the simulated devices connect through `connection.py`, as one
of two identities: a thing of the project (its key, certificate and client id, mutual TLS with
ALPN `x-amzn-mqtt-ca`) or the user's AWS identity (MQTT over WebSocket signed with SigV4, a
client id of its own). `endpoints.py` says where to connect and whom to trust (AWS IoT with
Amazon Root CA 1, or the emulator's endpoint with its root); `sigv4_websocket.py` signs the
WebSocket URL; `messages.py` holds the typed results and the messages as they arrive.

Importing this package loads nothing heavy: paho is imported by `connection.py` alone.
"""
