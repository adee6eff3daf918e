"""The SigV4-signed WebSocket path AWS IoT Core accepts from IAM identities: `/mqtt?X-Amz-...`.

A query-string presign of `GET /mqtt` for the service `iotdevicegateway`, signing only the Host
header (AWS's "Signature Version 4 for WebSocket connections", as botocore's SigV4QueryAuth
computes it). One difference AWS IoT requires: a session token is not signed; it is appended as
`X-Amz-Security-Token` after the signature (awscrt's websocket handshake does the same with
`omit_session_token`). Standard library only, so the test can check it against botocore.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

SERVICE = "iotdevicegateway"
ALGORITHM = "AWS4-HMAC-SHA256"
PATH = "/mqtt"
DEFAULT_EXPIRES_S = 3600
EMPTY_PAYLOAD_SHA256 = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class SigningCredentials:
    """Frozen AWS credentials; `token` for temporary ones (SSO, roles, MFA sessions)."""

    access_key: str
    secret_key: str
    token: str | None = None

    def __repr__(self) -> str:  # never print a secret
        return f"SigningCredentials(access_key={self.access_key!r}, ...)"


def host_header(server_name: str, port: int) -> str:
    """The Host header (and signed host) for `server_name:port`; 443 is left implied."""
    return server_name if port == 443 else f"{server_name}:{port}"


def presigned_path(
    host: str,
    region: str,
    credentials: SigningCredentials,
    *,
    now: datetime | None = None,
    expires: int = DEFAULT_EXPIRES_S,
) -> str:
    """`/mqtt?...` signed for `host` (the Host header the client sends) in `region`."""
    when = (now or datetime.now(UTC)).astimezone(UTC)
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    scope = f"{when.strftime('%Y%m%d')}/{region}/{SERVICE}/aws4_request"
    query = {
        "X-Amz-Algorithm": ALGORITHM,
        "X-Amz-Credential": f"{credentials.access_key}/{scope}",
        "X-Amz-Date": amz_date,
        "X-Amz-Expires": str(expires),
        "X-Amz-SignedHeaders": "host",
    }
    canonical_query = "&".join(
        f"{_quote(key)}={_quote(value)}" for key, value in sorted(query.items())
    )
    canonical_request = "\n".join(
        ["GET", PATH, canonical_query, f"host:{host}\n", "host", EMPTY_PAYLOAD_SHA256]
    )
    string_to_sign = "\n".join(
        [ALGORITHM, amz_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    key = _signing_key(credentials.secret_key, when.strftime("%Y%m%d"), region)
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    path = f"{PATH}?{canonical_query}&X-Amz-Signature={signature}"
    if credentials.token:
        path += f"&X-Amz-Security-Token={_quote(credentials.token)}"
    return path


def _signing_key(secret_key: str, date: str, region: str) -> bytes:
    key = f"AWS4{secret_key}".encode()
    for part in (date, region, SERVICE, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _quote(text: str) -> str:
    """SigV4's URI encoding: everything but unreserved characters, `/` included."""
    return quote(text, safe="-_.~")
