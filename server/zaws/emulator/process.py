"""The emulator's own process: moto's server on 127.0.0.1, with what zaws needs changed.

Run by `zaws emulator start` as `python -m zaws.emulator.process --home H --ready-fd N`, never by
hand. It differs from a bare `moto_server` in these ways:
- certificate ids are computed as AWS does (SHA-256 of the DER);
- `describe_endpoint` answers the same host name every time (moto invents a new one per call);
- jobs start IN_PROGRESS, count their executions, run on each thing of a target group, and
  cancelling cancels their queued executions, as in AWS (`iot_jobs.py`);
- creating a thing that exists answers the existing thing when the configuration is the same and
  ResourceAlreadyExistsException when it differs, as in AWS (moto overwrites it; `iot_things.py`);
- CreatePolicy and CreatePolicyVersion refuse a document over AWS's 2048 characters (whitespace not
  counted) with MalformedPolicyException, as AWS does (moto stores any size; `iot_policy_size.py`);
- things, certificates, policies and attachments are found without scanning the account, so one
  DeleteCertificate costs the same at 10,000 certificates as at ten (`iot_indexes.py`);
- requests run inside moto one at a time (its backends are not thread-safe), RSA key generation
  excepted (`one_at_a_time.py`);
- moto lists its own modules once, not on every request (`moto_modules.py`);
- bulk registration (StartThingRegistrationTask, Describe, Stop, List, ListReports) runs as on
  AWS: a task on a thread of its own, reading its input from S3, applying the provisioning
  template, writing JSON-lines reports (`iot_bulk_registration.py`);
- S3 refuses presigned URLs that expired or were altered, checking their SigV4 query signature
  with the local credentials as S3 does (moto checks neither; `s3_presigned_urls.py`);
- AWS IoT's data plane: an MQTT endpoint on 127.0.0.1 (mutual TLS and SigV4 WebSocket) where
  devices connect with their certificates under their policies (`data_plane/endpoint.py`); it
  writes where it listens to `mqtt.json`, keeps retained messages across restarts, and if it
  cannot start the emulator serves without it. AWS's reserved topics are served on it from the
  same state as the control plane (`data_plane/reserved_services.py`): the Jobs MQTT API (job
  documents' presigned-URL placeholders replaced at each fetch), classic and named shadows, and
  lifecycle events; on stop they stop listening to moto before the endpoint stops. The soft
  limit of open files is raised towards the hard one, so that thousands of connections are held;
- the state of IoT, S3, IAM and STS is saved on stop (SIGTERM) and restored on start, so things,
  certificates (same ids), policies, attachments, objects, roles and jobs survive a restart. The
  backends are pickled whole: this relies on moto internals, so the file records moto's version and
  a different version starts empty rather than half-restored.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import pickle
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from zaws.emulator.data_plane.reserved_services import (
    close_reserved_services,
    install_reserved_services,
)
from zaws.emulator.iot_bulk_registration import patch_bulk_registration
from zaws.emulator.iot_certificates import patch_certificates
from zaws.emulator.iot_indexes import patch_lookups
from zaws.emulator.iot_jobs import patch_jobs
from zaws.emulator.iot_policy_size import patch_policy_size
from zaws.emulator.iot_things import patch_create_thing
from zaws.emulator.moto_modules import list_moto_modules_once
from zaws.emulator.one_at_a_time import OneRequestAtATime, release_lock_for_rsa_keys
from zaws.emulator.s3_https import start_https_listener
from zaws.emulator.s3_presigned_urls import PresignedUrlCheck

SAVED_SERVICES = ("iot", "iot-data", "s3", "iam", "sts")
log = logging.getLogger("zaws.emulator")


def configure_moto() -> None:
    from moto.core.config import default_user_config

    default_user_config["iot"] = {"use_valid_cert": True}
    from moto.iot.models import IoTBackend

    invent_endpoint = IoTBackend.describe_endpoint

    def stable_endpoint(self: Any, endpoint_type: str) -> Any:
        endpoint = invent_endpoint(self, endpoint_type)
        invented = endpoint.endpoint.split(".", 1)[0].split("-", 1)[0]
        stable = hashlib.sha256(f"{self.account_id}:{self.region_name}".encode()).hexdigest()[:14]
        endpoint.endpoint = endpoint.endpoint.replace(invented, stable, 1)
        return endpoint

    setattr(IoTBackend, "describe_endpoint", stable_endpoint)  # noqa: B010 (monkeypatch by design)
    patch_jobs()
    patch_create_thing()
    patch_policy_size()
    patch_bulk_registration()
    patch_lookups()
    release_lock_for_rsa_keys()
    list_moto_modules_once()


def _moto_version() -> str:
    import moto

    return str(moto.__version__)


def restore_state(state_file: Path) -> None:
    from moto.backends import get_backend

    if not state_file.is_file():
        return
    try:
        with state_file.open("rb") as handle:
            saved = pickle.load(handle)
    except Exception as err:  # a corrupt or foreign file must not stop the emulator
        log.warning("ignoring unreadable emulator state %s: %s", state_file, err)
        return
    if saved.get("moto") != _moto_version():
        log.warning(
            "emulator state from moto %s ignored (running %s)", saved.get("moto"), _moto_version()
        )
        return
    for service, backends in saved["backends"].items():
        live = get_backend(service)
        live.clear()
        live.update(backends)


def save_state(state_file: Path) -> None:
    from moto.backends import get_backend

    backends = {service: get_backend(service) for service in SAVED_SERVICES}  # type: ignore[call-overload]
    data = pickle.dumps({"moto": _moto_version(), "backends": backends})
    tmp = state_file.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, state_file)


def raise_open_files_limit(wanted: int = 65536) -> int:
    """Raise this process's soft RLIMIT_NOFILE towards its hard limit (at most `wanted`): each MQTT
    connection holds a descriptor, and a common soft limit of 1024 would refuse thousands."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def start_mqtt_endpoint(
    home: Path,
    port: int,
    ws_port: int,
    connect_timeout_s: float,
    handshake_timeout_s: float = 10.0,
) -> Any:
    """The data plane's MQTT endpoint, started; None (logged) if it could not start."""
    from zaws.aws.settings import LOCAL_REGION
    from zaws.emulator.data_plane.endpoint import Endpoint

    logging.getLogger("zaws.emulator.mqtt").setLevel(logging.INFO)  # refusals, with their reason
    endpoint = Endpoint(
        home,
        region=LOCAL_REGION,
        port=port,
        ws_port=ws_port,
        connect_timeout_s=connect_timeout_s,
        handshake_timeout_s=handshake_timeout_s,
    )
    try:
        info = endpoint.start()
    except Exception:
        log.exception("the MQTT endpoint did not start; the emulator serves without it")
        endpoint.stop()
        return None
    log.warning("MQTT endpoint on %s:%d (WebSocket %s)", info.host, info.port, info.ws_port)
    return endpoint


def stop_mqtt_endpoint(endpoint: Any, services: list[object]) -> None:
    """The reserved services stop hearing of moto's changes (the control plane serves on while
    the emulator stops), then the endpoint stops, saving its retained messages."""
    close_reserved_services(services)
    endpoint.stop()


def serve(
    home: Path,
    ready_fd: int | None,
    port: int,
    mqtt_port: int = 0,
    mqtt_ws_port: int = 0,
    mqtt_connect_timeout_s: float = 10.0,
    mqtt_handshake_timeout_s: float = 10.0,
) -> None:
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    configure_moto()
    patch_certificates(home)  # IoT certificates issued by the emulator's own root CA
    state_file = home / "state.pickle"
    restore_state(state_file)
    app = PresignedUrlCheck(OneRequestAtATime(DomainDispatcherApplication(create_backend_app)))
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler)
    url = f"http://127.0.0.1:{server.server_port}"

    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)  # the serving threads inherit the mask
    worker = threading.Thread(target=server.serve_forever, name="moto", daemon=True)
    worker.start()
    raise_open_files_limit()
    mqtt = start_mqtt_endpoint(
        home, mqtt_port, mqtt_ws_port, mqtt_connect_timeout_s, mqtt_handshake_timeout_s
    )
    https, https_url = start_https_listener(home, app, MotoRequestHandler)  # presigned URLs
    services: list[object] = []
    if mqtt is not None:  # AWS's $aws topics: jobs, shadows, lifecycle events
        services = install_reserved_services(mqtt.broker, https_url)
    log.warning("emulator serving on %s (pid %d)", url, os.getpid())
    if ready_fd is not None:
        os.write(ready_fd, f"{url}\n".encode())
        os.close(ready_fd)
    signal.sigwait(stop_signals)
    if mqtt is not None:
        stop_mqtt_endpoint(mqtt, services)
    https.shutdown()
    server.shutdown()
    save_state(state_file)
    log.warning("emulator stopped; state saved to %s", state_file)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m zaws.emulator.process")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--ready-fd", type=int)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mqtt-port", type=int, default=0, help="MQTT over TLS; 0: a free one")
    parser.add_argument("--mqtt-ws-port", type=int, default=0, help="MQTT over WebSocket")
    parser.add_argument(
        "--mqtt-connect-timeout", type=float, default=10.0, help="seconds to a whole CONNECT"
    )
    parser.add_argument(
        "--mqtt-handshake-timeout", type=float, default=10.0, help="seconds to finish TLS/upgrade"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, format="%(asctime)s %(message)s")
    serve(
        args.home,
        args.ready_fd,
        args.port,
        args.mqtt_port,
        args.mqtt_ws_port,
        args.mqtt_connect_timeout,
        args.mqtt_handshake_timeout,
    )


if __name__ == "__main__":
    main()
