#!/usr/bin/env bash
# The whole Zerynth AWS IoT workflow on the embedded emulator, from a fresh machine:
# sets up .venv, then runs the seed's commands one by one and shows what each did.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
export PATH="$root/.venv/bin:$PATH"
export ZAWS_LOCAL=1
demo=$root/.demo
export ZAWS_HOME=$demo/zaws-home
[ -d "$demo" ] && { zaws emulator stop >/dev/null 2>&1 || true; rm -rf "$demo"; }
mkdir -p "$demo"
trap 'zaws emulator stop >/dev/null 2>&1 || true' EXIT

step() { printf '\n\033[1;36m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Start the local AWS emulator (ZAWS_LOCAL=1: no real account is touched)" \
    zaws emulator start
step "A least-privilege policy for the devices" \
    zaws create-policy zerynth-demo-policy
step "A firmware bucket and the role AWS IoT uses to read it" \
    zaws fota-setup --bucket zaws-demo-firmware --role zaws-demo-fota-role
step "A device project from the template (the endpoint is looked up in the account)" \
    zaws thing-project-from-template aws-demo "$demo" --aws-policy-name zerynth-demo-policy
project=$demo/aws-demo
step "Three things, with keys and certificates; the first becomes active" \
    zaws add-things "$project" --thing-base-name sensor --things-number 3
step "Two more with another base name" \
    zaws add-things "$project" --thing-base-name gateway --things-number 2
step "Make thing 2 of the first batch the active one" \
    zaws set-active-thing "$project" --thing-name sensor_2
step "The project's files (keys are mode 0600 and ignored by git)" \
    ls -la "$project" "$project/.aws_things_resources/sensor_2"
step "thing.conf.json now names the active thing" \
    cat "$project/thing.conf.json"
python - "$demo/firmware.json" <<'PY'
import json, sys
from zaws.operations.firmware import sample_firmware
json.dump(sample_firmware(b"\x00demo bytecode " * 64, bc_idx=1), open(sys.argv[1], "w"), indent=2)
PY
step "A FOTA job for sensor_2 from a sample firmware file (link -J format), then verified" \
    zaws iot-fota-start sensor_2 "$demo/firmware.json" s3://zaws-demo-firmware zaws-demo-fota-role \
    --duration 900 --project "$project"
step "sensor_2 runs as a simulated Zerynth device: it takes the FOTA job (download, MD5, reset, confirm) and publishes" \
    zaws device run "$project" --thing sensor_2 --for 8
printf '\n\033[1;36m== %s\033[0m\n' "A device talks over MQTT: sensor_2 publishes with its own certificate, you watch as your AWS identity"
zaws mqtt subscribe "$project" 'sensor_2/#' --count 1 --for 60 > "$demo/watch.log" 2>&1 &
watcher=$!
for _ in $(seq 300); do grep -q "waiting for messages" "$demo/watch.log" && break; sleep 0.1; done
echo "\$ zaws mqtt publish $project sensor_2/samples '{\"temp\": 21.5}' --thing sensor_2"
zaws mqtt publish "$project" sensor_2/samples '{"temp": 21.5}' --thing sensor_2
wait "$watcher"
cat "$demo/watch.log"
step "The things, as the project and AWS see them" \
    zaws list-things "$project" --remote
step "The FOTA jobs started from the project" \
    zaws iot-fota-jobs "$project"
step "Clean up: things and certificates deleted in AWS, then locally" \
    zaws iot-cleanup "$project" --yes
step "Nothing left" \
    zaws list-things "$project"
printf '\n\033[1;32mDemo finished.\033[0m The project is in %s\n' "$project"
