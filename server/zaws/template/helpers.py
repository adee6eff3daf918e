# Small helpers for main.py: Wi-Fi with retries, and reading the thing's resources.

import json


def join_wifi(wifi, ssid, password, attempts=5):
    for attempt in range(attempts):
        try:
            wifi.link(ssid, wifi.WIFI_WPA2, password)
            print("joined", ssid)
            return
        except Exception as err:
            print("wifi attempt", attempt + 1, "failed:", err)
            sleep(3000)
    raise IOError("could not join " + ssid)


def read_resource(name):
    stream = open("resource://" + name)
    content = ""
    while True:
        chunk = stream.read()
        if not chunk:
            break
        content += "".join(chr(byte) for byte in chunk)
    return content


def load_key_and_certificate():
    # The device library wants NUL-terminated PEM strings.
    key = read_resource("private.pem.key") + "\0"
    certificate = read_resource("certificate.pem.crt") + "\0"
    return key, certificate


def load_thing_conf():
    return json.loads(read_resource("thing.conf.json"))
