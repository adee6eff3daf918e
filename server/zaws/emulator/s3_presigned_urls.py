"""Presigned S3 GET URLs on the emulator: made for job documents, refused once expired or altered.

AWS IoT Jobs replaces `${aws:iot:s3-presigned-url:...}` in a job document with a presigned GET URL
when a device fetches the document; the device downloads its firmware with it. moto serves any
presigned URL whatever its signature or age, so a test could never see a URL expire or a tampered
one fail. `presign_get` makes the URL (SigV4 query signing with the emulator's local credentials,
path style on the emulator's own address), and `PresignedUrlCheck`, a WSGI middleware in front of
moto, verifies every SigV4-presigned request as S3 does: `X-Amz-Date` + `X-Amz-Expires` not past,
the access key known, and `X-Amz-Signature` recomputed from the method, path, query and signed
headers. Requests signed in their Authorization header (what boto3 sends) pass untouched.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from zaws.aws.clients import LOCAL_CREDENTIALS

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_EXPIRES_S = 7 * 24 * 3600  # SigV4's limit on X-Amz-Expires
SECRETS = {LOCAL_CREDENTIALS["aws_access_key_id"]: LOCAL_CREDENTIALS["aws_secret_access_key"]}


def presign_get(
    base_url: str, bucket: str, key: str, region: str, expires_in: int, now: float | None = None
) -> str:
    """`<base_url>/<bucket>/<key>?X-Amz-...`: GET the object for `expires_in` s."""
    access_key = LOCAL_CREDENTIALS["aws_access_key_id"]
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
    scope = f"{stamp[:8]}/{region}/s3/aws4_request"
    parts = urlsplit(base_url)
    path = f"{parts.path.rstrip('/')}/{_encode(bucket)}/{_encode(key, safe='/')}"
    query = {
        "X-Amz-Algorithm": ALGORITHM,
        "X-Amz-Credential": f"{access_key}/{scope}",
        "X-Amz-Date": stamp,
        "X-Amz-Expires": str(expires_in),
        "X-Amz-SignedHeaders": "host",
    }
    pairs = sorted(query.items())
    signature = _signature(SECRETS[access_key], "GET", path, pairs, {"host": parts.netloc}, scope)
    rendered = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)
    return f"{parts.scheme}://{parts.netloc}{path}?{rendered}&X-Amz-Signature={signature}"


def refusal(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: dict[str, str],
    now: float | None = None,
) -> tuple[str, str] | None:
    """Why S3 refuses this presigned request (its error code and message), or None if it is good
    (or not a presigned SigV4 request at all). `headers` by lower-case name."""
    pairs = parse_qsl(raw_query, keep_blank_values=True)
    given = dict(pairs)
    if "X-Amz-Signature" not in given and given.get("X-Amz-Algorithm") != ALGORITHM:
        return None
    if given.get("X-Amz-Algorithm") != ALGORITHM:
        return "AuthorizationQueryParametersError", "X-Amz-Algorithm only supports AWS4-HMAC-SHA256"
    missing = [
        name
        for name in ("X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders")
        if name not in given
    ]
    if missing or "X-Amz-Signature" not in given:
        return (
            "AuthorizationQueryParametersError",
            "Query-string authentication version 4 requires the X-Amz-Algorithm, "
            "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
            "X-Amz-Expires parameters.",
        )
    try:
        signed_at = calendar.timegm(time.strptime(given["X-Amz-Date"], "%Y%m%dT%H%M%SZ"))
        expires = int(given["X-Amz-Expires"])
    except ValueError:
        return "AuthorizationQueryParametersError", "X-Amz-Date or X-Amz-Expires is malformed"
    if not 0 < expires <= MAX_EXPIRES_S:
        return (
            "AuthorizationQueryParametersError",
            "X-Amz-Expires must be less than a week (in seconds) that is 604800",
        )
    if (time.time() if now is None else now) > signed_at + expires:
        return "AccessDenied", "Request has expired"
    access_key, _, scope = given["X-Amz-Credential"].partition("/")
    secret = SECRETS.get(access_key)
    if secret is None:
        return (
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        )
    if scope.split("/")[:1] != [given["X-Amz-Date"][:8]]:
        return "AuthorizationQueryParametersError", "X-Amz-Credential's date is not X-Amz-Date's"
    signed = sorted((k, v) for k, v in pairs if k != "X-Amz-Signature")
    names = given["X-Amz-SignedHeaders"].split(";")
    signed_headers = {name: headers.get(name, "") for name in names}
    path = _encode(unquote(raw_path), safe="/")  # S3's canonical URI: each byte encoded once
    expected = _signature(secret, method, path, signed, signed_headers, scope)
    if not hmac.compare_digest(expected, given["X-Amz-Signature"]):
        return (
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
        )
    return None


class PresignedUrlCheck:
    """WSGI middleware: a presigned request that S3 would refuse gets S3's 403, not moto's 200."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        raw_uri = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or "")
        raw_path, _, raw_query = raw_uri.partition("?")
        if not raw_uri:
            raw_path = quote(str(environ.get("PATH_INFO", "")))
            raw_query = str(environ.get("QUERY_STRING", ""))
        if "X-Amz-" not in raw_query:
            return self.app(environ, start_response)
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if key in environ:
                headers[key.replace("_", "-").lower()] = str(environ[key])
        refused = refusal(str(environ.get("REQUEST_METHOD", "GET")), raw_path, raw_query, headers)
        if refused is None:
            return self.app(environ, start_response)
        code, message = refused
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        ).encode()
        bad_query = code == "AuthorizationQueryParametersError"
        status = "400 Bad Request" if bad_query else "403 Forbidden"
        start_response(
            status, [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
        )
        return [body]


def _encode(text: str, safe: str = "") -> str:
    return quote(text, safe="-_.~" + safe)


def _signature(
    secret: str,
    method: str,
    raw_path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    scope: str,
) -> str:
    """SigV4 for S3 query signing: the path as sent (S3 does not normalise it), UNSIGNED-PAYLOAD."""
    canonical_query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(query))
    names = sorted(headers)
    canonical_headers = "".join(f"{name}:{' '.join(headers[name].split())}\n" for name in names)
    canonical = "\n".join(
        [
            method,
            raw_path or "/",
            canonical_query,
            canonical_headers,
            ";".join(names),
            "UNSIGNED-PAYLOAD",
        ]
    )
    stamp = dict(query).get("X-Amz-Date", "")
    to_sign = "\n".join([ALGORITHM, stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
