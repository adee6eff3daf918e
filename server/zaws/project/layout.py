"""File and folder names of a project, exactly as the original Zerynth toolchain lays them out."""

THING_CONF = "thing.conf.json"
ZAWSCONF = ".zawsconf"
RESOURCES_DIR = ".aws_things_resources"
CERTIFICATE = "certificate.pem.crt"
PRIVATE_KEY = "private.pem.key"

# zaws's own bookkeeping (lock, add-things journal, staging of new keys); not in the original.
STATE_DIR = ".zaws"

# Keys of the top-level thing.conf.json that belong to the active thing.
ACTIVE_THING_KEYS = ("thingname", "mqttid", "cert_arn")
PROJECT_KEYS = ("endpoint", "policy_name")

# In a thing's folder instead of private.pem.key: its key lives on the device (add-things
# --csr-dir); see device_key.py.
DEVICE_KEY = "device-key.json"
