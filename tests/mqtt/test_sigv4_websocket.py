"""The SigV4 WebSocket path against botocore's SigV4QueryAuth, computed here independently."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from zaws.mqtt.sigv4_websocket import SigningCredentials, host_header, presigned_path

HOST = "a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com"
WHEN = datetime(2026, 11, 30, 12, 34, 56, tzinfo=UTC)


def botocore_presigned_url(
    host: str, region: str, access_key: str, secret_key: str, timestamp: str, expires: int = 3600
) -> str:
    """botocore's own query-string presign of GET https://host/mqtt at `timestamp`."""
    request = AWSRequest(method="GET", url=f"https://{host}/mqtt")
    signer = SigV4QueryAuth(
        Credentials(access_key, secret_key), "iotdevicegateway", region, expires
    )
    # add_auth's steps, at a given time instead of now
    request.context["timestamp"] = timestamp
    signer._modify_request_before_signing(request)
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical), request)
    signer._inject_signature_to_request(request, signature)
    return str(request.url)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_the_path_is_botocores_presign() -> None:
    credentials = SigningCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    ours = presigned_path(HOST, "eu-west-1", credentials, now=WHEN)
    theirs = botocore_presigned_url(
        HOST, "eu-west-1", credentials.access_key, credentials.secret_key, "20261130T123456Z"
    )
    assert ours == "/mqtt?" + urlsplit(theirs).query
    assert query_of(ours)["X-Amz-Credential"] == [
        "AKIDEXAMPLE/20261130/eu-west-1/iotdevicegateway/aws4_request"
    ]


def test_a_session_token_is_appended_after_the_signature_unsigned() -> None:
    plain = SigningCredentials("AKID", "secret")
    temporary = SigningCredentials("AKID", "secret", "IQoJb3JpZ2luX2Vj/+=token")
    without = presigned_path(HOST, "eu-west-1", plain, now=WHEN)
    with_token = presigned_path(HOST, "eu-west-1", temporary, now=WHEN)
    assert with_token == without + "&X-Amz-Security-Token=IQoJb3JpZ2luX2Vj%2F%2B%3Dtoken"


def test_the_signature_covers_the_host_the_time_and_the_region() -> None:
    credentials = SigningCredentials("AKID", "secret")
    base = query_of(presigned_path(HOST, "eu-west-1", credentials, now=WHEN))["X-Amz-Signature"]
    for other in (
        presigned_path("other-ats.iot.eu-west-1.amazonaws.com", "eu-west-1", credentials, now=WHEN),
        presigned_path(HOST, "us-east-1", credentials, now=WHEN),
        presigned_path(HOST, "eu-west-1", credentials, now=WHEN.replace(second=57)),
        presigned_path(HOST, "eu-west-1", SigningCredentials("AKID", "secreT"), now=WHEN),
    ):
        assert query_of(other)["X-Amz-Signature"] != base


def test_a_local_port_is_part_of_the_signed_host() -> None:
    assert host_header(HOST, 443) == HOST
    assert host_header(HOST, 8443) == f"{HOST}:8443"
    credentials = SigningCredentials("testing", "testing")
    ours = presigned_path(f"{HOST}:8443", "us-east-1", credentials, now=WHEN)
    theirs = botocore_presigned_url(
        f"{HOST}:8443", "us-east-1", "testing", "testing", "20261130T123456Z"
    )
    assert query_of(ours)["X-Amz-Signature"] == query_of(theirs)["X-Amz-Signature"]
