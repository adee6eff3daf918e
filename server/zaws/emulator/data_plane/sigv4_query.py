"""SigV4 query-string signatures on the MQTT WebSocket URL, checked as AWS IoT's gateway does.

A client (the AWS console, awsiotsdk, `zaws mqtt`) opens `wss://<host>/mqtt?X-Amz-Algorithm=
AWS4-HMAC-SHA256&X-Amz-Credential=<key>/<date>/<region>/iotdevicegateway/aws4_request&X-Amz-Date=
...&X-Amz-SignedHeaders=host&X-Amz-Signature=...`, signed for `GET /mqtt` with the host header
and an empty payload. AWS IoT's own quirk: `X-Amz-Security-Token` is appended after signing, so a
signature is accepted with or without the token in the canonical query. The secret is looked up
by access key (the emulator knows only its local credentials).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "iotdevicegateway"
MAX_SKEW_S = 15 * 60
EMPTY_PAYLOAD_HASH = hashlib.sha256(b"").hexdigest()


class SignatureRefused(Exception):
    pass


def _encode(text: str) -> str:
    return quote(text, safe="-_.~")


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def signature(
    secret: str, amz_date: str, scope: str, method: str, path: str, query: str, host: str
) -> str:
    canonical = "\n".join([method, path, query, f"host:{host}\n", "host", EMPTY_PAYLOAD_HASH])
    to_sign = "\n".join(
        [ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    date, region, service, _ = scope.split("/")
    key = _hmac(("AWS4" + secret).encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def canonical_query(params: list[tuple[str, str]]) -> str:
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params))


def verify(
    path_and_query: str, host: str, secrets: Mapping[str, str], now: float | None = None
) -> tuple[str, str]:
    """(access key, region) of a correctly signed URL; SignatureRefused otherwise."""
    path, _, raw_query = path_and_query.partition("?")
    params = parse_qsl(raw_query, keep_blank_values=True)
    values = dict(params)
    if values.get("X-Amz-Algorithm") != ALGORITHM:
        raise SignatureRefused("not a SigV4 signed URL")
    try:
        access_key, date, region, service, terminal = values["X-Amz-Credential"].split("/")
        amz_date, given = values["X-Amz-Date"], values["X-Amz-Signature"]
    except (KeyError, ValueError):
        raise SignatureRefused("an incomplete SigV4 signature") from None
    if service != SERVICE or terminal != "aws4_request" or not amz_date.startswith(date):
        raise SignatureRefused(f"a signature for {service}, not {SERVICE}")
    if values.get("X-Amz-SignedHeaders", "host") != "host":
        raise SignatureRefused("only the host header may be signed")
    secret = secrets.get(access_key)
    if secret is None:
        raise SignatureRefused(f"unknown access key {access_key}")
    try:
        signed_at = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp()
    except ValueError:
        raise SignatureRefused("a malformed X-Amz-Date") from None
    expires_text = values.get("X-Amz-Expires", str(MAX_SKEW_S))
    if not (expires_text.isascii() and expires_text.isdigit()):
        raise SignatureRefused("a malformed X-Amz-Expires")
    expires = int(expires_text)
    current = time.time() if now is None else now
    if current > signed_at + max(expires, MAX_SKEW_S) or signed_at > current + MAX_SKEW_S:
        raise SignatureRefused("the signature has expired")
    scope = f"{date}/{region}/{service}/aws4_request"
    unsigned = [(k, v) for k, v in params if k != "X-Amz-Signature"]
    candidates = [unsigned, [(k, v) for k, v in unsigned if k != "X-Amz-Security-Token"]]
    for candidate in candidates:
        query = canonical_query(candidate)
        expected = signature(secret, amz_date, scope, "GET", path, query, host)
        if hmac.compare_digest(expected.encode(), given.encode()):  # given may be any text
            return access_key, region
    raise SignatureRefused("the signature does not match")


def presign(
    host: str,
    region: str,
    access_key: str,
    secret: str,
    *,
    path: str = "/mqtt",
    now: float | None = None,
    session_token: str | None = None,
) -> str:
    """`path?query` signed as AWS IoT expects (the token, if any, appended after signing)."""
    moment = datetime.fromtimestamp(time.time() if now is None else now, UTC)
    amz_date = moment.strftime("%Y%m%dT%H%M%SZ")
    scope = f"{amz_date[:8]}/{region}/{SERVICE}/aws4_request"
    params = [
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", f"{access_key}/{scope}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-SignedHeaders", "host"),
    ]
    query = canonical_query(params)
    signed = signature(secret, amz_date, scope, "GET", path, query, host)
    url = f"{path}?{query}&X-Amz-Signature={signed}"
    if session_token:
        url += f"&X-Amz-Security-Token={_encode(session_token)}"
    return url
