"""The WebSocket URL's SigV4 check against botocore's own query-string presign."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from zaws.emulator.data_plane.sigv4_query import SignatureRefused, presign, verify

HOST = "abc-ats.iot.us-east-1.amazonaws.com:8443"
SECRETS = {"testing": "testing"}
WHEN = datetime(2026, 11, 30, 12, 34, 56, tzinfo=UTC)


def botocore_path(secret: str = "testing", expires: int = 3600, token: str | None = None) -> str:
    request = AWSRequest(method="GET", url=f"https://{HOST}/mqtt")
    credentials = Credentials("testing", secret)
    signer = SigV4QueryAuth(credentials, "iotdevicegateway", "us-east-1", expires)
    request.context["timestamp"] = WHEN.strftime("%Y%m%dT%H%M%SZ")
    signer._modify_request_before_signing(request)
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical), request)
    signer._inject_signature_to_request(request, signature)
    parts = urlsplit(str(request.url))
    path = f"{parts.path}?{parts.query}"
    return path + (f"&X-Amz-Security-Token={token}" if token else "")


def test_botocores_presign_is_accepted() -> None:
    assert verify(botocore_path(), HOST, SECRETS, now=WHEN.timestamp() + 60) == (
        "testing",
        "us-east-1",
    )


def test_a_token_appended_after_signing_is_accepted_as_aws_iot_does() -> None:
    path = botocore_path(token="session-token")
    assert verify(path, HOST, SECRETS, now=WHEN.timestamp())[0] == "testing"


def test_our_presign_verifies() -> None:
    path = presign(HOST, "eu-west-1", "testing", "testing", now=WHEN.timestamp())
    assert verify(path, HOST, SECRETS, now=WHEN.timestamp()) == ("testing", "eu-west-1")


@pytest.mark.parametrize(
    ("path", "host", "now"),
    [
        (botocore_path(secret="wrong"), HOST, WHEN.timestamp()),
        (botocore_path(), "other.example.com", WHEN.timestamp()),
        (botocore_path(expires=60), HOST, WHEN.timestamp() + 3600),
        (botocore_path().replace("X-Amz-Date=2026", "X-Amz-Date=2025"), HOST, WHEN.timestamp()),
        ("/mqtt", HOST, WHEN.timestamp()),
        ("/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256", HOST, WHEN.timestamp()),
    ],
    ids=["wrong secret", "other host", "expired", "altered", "unsigned", "incomplete"],
)
def test_what_is_refused(path: str, host: str, now: float) -> None:
    with pytest.raises(SignatureRefused):
        verify(path, host, SECRETS, now=now)


def test_an_unknown_access_key_is_refused() -> None:
    with pytest.raises(SignatureRefused, match="unknown access key"):
        verify(botocore_path(), HOST, {"someone": "else"}, now=WHEN.timestamp())


@pytest.mark.parametrize("expires", ["abc", "", "-5", "1e3", "nan"])
def test_a_malformed_expiry_is_refused_not_an_error(expires: str) -> None:
    path = botocore_path().replace("X-Amz-Expires=3600", f"X-Amz-Expires={expires}")
    with pytest.raises(SignatureRefused, match="X-Amz-Expires"):
        verify(path, HOST, SECRETS, now=WHEN.timestamp())


def test_a_signature_of_any_text_is_refused_not_an_error() -> None:
    path = botocore_path()
    signed = path.split("X-Amz-Signature=")[1]
    with pytest.raises(SignatureRefused, match="does not match"):
        verify(path.replace(signed, "%C2%80"), HOST, SECRETS, now=WHEN.timestamp())
