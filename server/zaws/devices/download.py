"""The firmware download of a FOTA job: `bc_url` over HTTPS with the server verified.

The library checks the server against Baltimore CyberTrust Root (S3 now chains to Amazon's
roots; the system's trust store is used here). On the emulator the presigned URL is the
emulator's own S3 over HTTPS (`emulator/s3_https.py`), verified against the emulator's root, the
one its MQTT endpoint is trusted with: nothing is downloaded over plain HTTP. Read in chunks,
each read bounded, the device's stop checked between them: a stopped device does not finish it.
At most `DOWNLOADING.count` downloads at once in the process (`process_slots`).
"""

from __future__ import annotations

import ssl
import threading
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from zaws.devices.process_slots import DOWNLOADING
from zaws.devices.stopping import DOWNLOAD_READ_S, DeviceStopped

CHUNK_BYTES = 64 * 1024
MAX_BYTES = 16 * 1024 * 1024


class DownloadFailed(Exception):
    pass


def download(
    url: str,
    *,
    trust_pem: str | None,
    timeout: float = DOWNLOAD_READ_S,
    stop: threading.Event | None = None,
) -> bytes:
    """GET `url`; the server must hold a certificate for its host from the system's roots or,
    with `trust_pem` (the emulator), from that root. `stop` set: DeviceStopped."""
    if urlsplit(url).scheme != "https":
        raise DownloadFailed(f"bc_url is not an https URL: {url[:80]}")
    context = ssl.create_default_context(cadata=trust_pem)
    chunks: list[bytes] = []
    size = 0
    try:
        with (
            DOWNLOADING.held(stop),
            urllib.request.urlopen(url, timeout=timeout, context=context) as response,
        ):
            while size <= MAX_BYTES:
                if stop is not None and stop.is_set():
                    raise DeviceStopped()
                chunk: bytes = response.read(CHUNK_BYTES)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise DownloadFailed(f"downloading bc_url failed: {err}") from None
    if size > MAX_BYTES:
        raise DownloadFailed(f"bc_url serves more than {MAX_BYTES} bytes")
    return b"".join(chunks)
