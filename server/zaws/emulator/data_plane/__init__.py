"""AWS IoT's data plane in the emulator: an MQTT endpoint where devices connect with their own
certificates, under their policies, and get jobs and shadows as on AWS IoT Core.

Why our own broker: no Python broker speaks both MQTT 3.1.1 and 5 (amqtt is 3.1.1 only and drops
every client PUBLISH to a `$` topic, which is the whole Jobs and Shadow API), mosquitto needs C
plugins for authorization, and no packaged sans-I/O MQTT codec is on the registries. The packet
codec is ours (`codec.py`), tested property-based and against paho-mqtt, a client nobody here wrote.

The parts, each its own module, and what they promise each other:

- `codec.py`: MQTT 3.1.1 and 5 packets as dataclasses; `PacketReader(max_size)` is fed bytes and
  yields packets or raises `MalformedPacket`; `encode(packet, protocol_level) -> bytes`.
- `broker.py`: the asyncio server (mutual TLS, ALPN `x-amzn-mqtt-ca`, and MQTT over WebSocket),
  sessions, subscriptions, QoS 0/1, retained messages, keep-alive, duplicate client ids, AWS's
  limits. It asks `authorization.py` on every CONNECT, PUBLISH, SUBSCRIBE and delivery, and hands
  every PUBLISH to a `$aws/` topic to the reserved-topic services. Services answer with
  `Broker.deliver(client_id, topic, payload)` (to one client, subscribed or not, as AWS's Jobs
  responses are) or `Broker.publish(topic, payload, qos)` (to the matching subscribers, each
  delivery checked with iot:Receive).
- `authorization.py`: from the TLS client certificate to moto's certificate
  (`iot_certificates.find_client_certificate`), its status, the thing attached, the policies of the
  certificate and of the thing's groups, and an `iot_policy.Authorizer` per connection, rebuilt when
  the control plane changed (`control_plane_generation()`, bumped by every IoT write request).
- `jobs_service.py`, `shadow_service.py`, `lifecycle_events.py`: the `$aws/things/<thing>/jobs/...`,
  `$aws/things/<thing>/shadow/...` and `$aws/events/presence/...` topics, on moto's own backends
  (so describe_job_execution and iot-data's GetThingShadow see what devices did), called with
  moto's request lock held (`one_at_a_time.py`).
- `endpoint.py`: started and stopped with the emulator process on 127.0.0.1; its host, port,
  server name and CA file are written beside the emulator's URL for `zaws emulator status`.
"""
