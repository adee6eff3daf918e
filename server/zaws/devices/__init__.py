"""Simulated devices: a project's things run as the Zerynth AWS IoT library and the template do.

Each device connects with its thing's own key, certificate and mqttid (`zaws.mqtt.connection`, the
one MQTT connection module), publishes the template's samples, answers shadow deltas and runs FOTA
jobs step by step as the library's `handle_fota_jobs` does, reporting what it does as typed
events (`events.py`). `fleet.py` runs many in one process. Where the library waits forever, these
wait a bounded time and say so.
"""
