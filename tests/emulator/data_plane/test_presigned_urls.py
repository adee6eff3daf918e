"""Presigned S3 GETs on the emulator: botocore's and the Jobs service's URLs verify; expired,
altered or foreign ones are refused, by the check alone and by the emulator's S3 over HTTP."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config

from zaws.emulator.s3_presigned_urls import presign_get, refusal

BASE = "http://127.0.0.1:5000"


def botocore_url(key: str = "dev_0/fota-1-bc", expires: int = 600) -> str:
    s3 = boto3.client(
        "s3",
        endpoint_url=BASE,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    return str(
        s3.generate_presigned_url(
            "get_object", Params={"Bucket": "firmware", "Key": key}, ExpiresIn=expires
        )
    )


def check(url: str, now: float | None = None, method: str = "GET") -> tuple[str, str] | None:
    parts = urlsplit(url)
    return refusal(method, parts.path, parts.query, {"host": parts.netloc}, now=now)


def test_botocores_presigned_url_verifies_with_the_local_credentials() -> None:
    assert check(botocore_url()) is None
    assert check(botocore_url("dir/with space+plus=é")) is None


def test_our_presigned_url_is_botocores_for_the_same_moment() -> None:
    url = botocore_url(expires=900)
    stamp = dict(p.split("=", 1) for p in urlsplit(url).query.split("&"))["X-Amz-Date"]
    now = time.mktime(time.strptime(stamp, "%Y%m%dT%H%M%SZ")) - time.timezone
    assert presign_get(BASE, "firmware", "dev_0/fota-1-bc", "us-east-1", 900, now=now) == url


def test_an_expired_url_is_refused_and_one_second_before_it_is_not() -> None:
    signed = time.time()
    url = presign_get(BASE, "firmware", "k", "us-east-1", 60, now=signed)
    assert check(url, now=signed + 59) is None
    assert check(url, now=signed + 61) == ("AccessDenied", "Request has expired")


@pytest.mark.parametrize(
    "alter",
    [
        lambda url: url.replace("/firmware/k", "/firmware/other"),
        lambda url: url.replace("X-Amz-Expires=60", "X-Amz-Expires=3600"),
        lambda url: url[:-1] + ("0" if url[-1] != "0" else "1"),
        lambda url: url + "&extra=1",
        lambda url: url.replace(BASE, "http://127.0.0.1:5001"),
    ],
)
def test_an_altered_url_is_refused(alter: Any) -> None:
    url = presign_get(BASE, "firmware", "k", "us-east-1", 60)
    assert check(alter(url))[0] == "SignatureDoesNotMatch"  # type: ignore[index]


def test_another_method_than_the_signed_one_is_refused() -> None:
    url = presign_get(BASE, "firmware", "k", "us-east-1", 60)
    assert check(url, method="PUT")[0] == "SignatureDoesNotMatch"  # type: ignore[index]


def test_an_unknown_access_key_is_refused() -> None:
    url = presign_get(BASE, "firmware", "k", "us-east-1", 60).replace("testing%2F", "AKIAOTHER%2F")
    assert check(url)[0] == "InvalidAccessKeyId"  # type: ignore[index]


def test_a_request_that_is_not_presigned_is_not_checked() -> None:
    assert check(f"{BASE}/firmware/k?list-type=2") is None


def test_the_emulators_s3_serves_a_good_url_and_refuses_expired_and_altered_ones(
    aws: Any, boto: Any, emulator_url: str
) -> None:
    s3 = boto("s3")
    s3.create_bucket(Bucket="firmware")
    s3.put_object(Bucket="firmware", Key="dev_0/bc", Body=b"bytecode")
    good = presign_get(emulator_url, "firmware", "dev_0/bc", "us-east-1", 60)
    with urllib.request.urlopen(good, timeout=10) as answer:
        assert answer.read() == b"bytecode"
    expired = presign_get(emulator_url, "firmware", "dev_0/bc", "us-east-1", 60, time.time() - 61)
    altered = good.replace("X-Amz-Expires=60", "X-Amz-Expires=61")
    for url in (expired, altered):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)
        assert refused.value.code == 403
