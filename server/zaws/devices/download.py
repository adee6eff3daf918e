"""The firmware download of a FOTA job: `bc_url` over HTTPS with the server verified.

The library checks the server against Baltimore CyberTrust Root (S3 now chains to Amazon's
roots; the system's trust store is used here). On the emulator the presigned URL AWS IoT would
substitute is the emulator's own `http://127.0.0.1:...` S3 URL: plain HTTP is accepted for
127.0.0.1 in local mode only, and the caller says so.
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from urllib.parse import urlsplit

DOWNLOAD_TIMEOUT_S = 30.0
MAX_BYTES = 16 * 1024 * 1024


class DownloadFailed(Exception):
    pass


def plain_http_allowed(url: str, *, local: bool) -> bool:
    parts = urlsplit(url)
    return local and parts.scheme == "http" and parts.hostname == "127.0.0.1"


def download(url: str, *, local: bool, timeout: float = DOWNLOAD_TIMEOUT_S) -> bytes:
    scheme = urlsplit(url).scheme
    if scheme != "https" and not plain_http_allowed(url, local=local):
        raise DownloadFailed(f"bc_url is not an https URL: {url[:80]}")
    context = ssl.create_default_context() if scheme == "https" else None
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as response:
            data: bytes = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise DownloadFailed(f"downloading bc_url failed: {err}") from None
    if len(data) > MAX_BYTES:
        raise DownloadFailed(f"bc_url serves more than {MAX_BYTES} bytes")
    return data
