# AWS IoT thing: publishes a sensor sample every few seconds and listens for commands.
#
# Everything specific to one device (endpoint, thing name, MQTT id, key and certificate) lives in
# thing.conf.json, private.pem.key and certificate.pem.crt, which `zaws set-active-thing` fills in
# before each compile. This file stays the same for every device of a production batch.

import json
import random

import streams
import timers
from aws.iot import iot
from wireless import wifi

import helpers

# Pick the Wi-Fi driver of your board, e.g.:
# from espressif.esp32net import esp32wifi as wifi_driver
# wifi_driver.auto_init()

WIFI_SSID = "my-network"
WIFI_PASSWORD = "my-password"
PUBLISH_EVERY_MS = 5000

streams.serial()

new_resource("private.pem.key")
new_resource("certificate.pem.crt")
new_resource("thing.conf.json")

helpers.join_wifi(wifi, WIFI_SSID, WIFI_PASSWORD)

key, certificate = helpers.load_key_and_certificate()
config = helpers.load_thing_conf()

thing = iot.Thing(
    config["endpoint"], config["mqttid"], certificate, key, thingname=config["thingname"]
)
print("connecting to", config["endpoint"], "as", config["thingname"])
thing.mqtt.connect()


def on_command(client, data):
    print("command received:", data["message"]["payload"])


thing.mqtt.subscribe([[config["thingname"] + "/commands", 1]], on_command)
thing.mqtt.loop()

topic = config["thingname"] + "/samples"
while True:
    sample = {"temperature": 20 + random() % 10, "uptime_ms": timers.now()}
    thing.mqtt.publish(topic, json.dumps(sample))
    print("published", sample, "to", topic)
    sleep(PUBLISH_EVERY_MS)
