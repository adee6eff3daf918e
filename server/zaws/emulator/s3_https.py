"""The emulator's S3 over HTTPS as well: where the presigned firmware URLs of jobs point.

AWS IoT replaces `${aws:iot:s3-presigned-url:...}` in a job document with an https URL of S3, and
a device checks S3's certificate before it downloads (the Zerynth library does). The emulator's
control plane is plain HTTP on 127.0.0.1 (what boto3 is pointed at); this second listener serves
the same moto application over TLS, with a certificate for 127.0.0.1 and localhost issued by the
emulator's root CA (the `ca_file` that `zaws emulator status` reports), so that a simulated device
verifies the emulator's S3 as a real one verifies AWS's, and a device that trusts only Amazon's
roots is refused.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from zaws.emulator import certificate_authority
from zaws.emulator.data_plane.tls import server_context

HOST = "127.0.0.1"


def start_https_listener(home: Path, app: Any, request_handler: Any) -> tuple[Any, str]:
    """The WSGI `app` served over TLS on a free port of 127.0.0.1 (a thread of its own); the
    server (to shut down) and its base URL."""
    from werkzeug.serving import make_server

    authority = certificate_authority.load_or_create(home)
    issued = authority.issue_server_certificate([HOST, "localhost"])
    context = server_context(issued, client_ca_pem=None, alpn=("http/1.1",))
    server = make_server(
        HOST, 0, app, threaded=True, request_handler=request_handler, ssl_context=context
    )
    threading.Thread(target=server.serve_forever, name="moto-https", daemon=True).start()
    return server, f"https://{HOST}:{server.server_port}"
