"""Job documents as devices get them: from S3 (what `zaws iot-fota-start` writes), each
`${aws:iot:s3-presigned-url:...}` replaced by a presigned URL of the emulator's S3 that expires
after the job's expiresInSec (default 3600), in every form zaws and AWS write the object URL."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.emulator.data_plane.jobs_fixtures import RecordingPlane, backends, client, create_job
from zaws.emulator.data_plane.jobs_service import JobsService
from zaws.emulator.s3_presigned_urls import refusal
from zaws.operations.fota_document import build_document, s3_url

__all__ = ["backends"]
T = "$aws/things/dev_0/jobs"
BASE = "http://127.0.0.1:5000"


@pytest.fixture
def plane() -> RecordingPlane:
    return RecordingPlane()


@pytest.fixture
def jobs(plane: RecordingPlane, backends: dict[str, Any]) -> Iterator[JobsService]:
    service = JobsService(plane, BASE)
    backends["iot"].create_thing("dev_0", None, None)
    backends["s3"].create_bucket("zaws-firmware", "us-east-1")
    yield service
    service.close()


def fota_job(backends: dict[str, Any], object_url: str, expires: int | None) -> None:
    document = build_document("0" * 32, 16, 1, object_url)
    backends["s3"].put_object("zaws-firmware", "dev_0/fota-1-job", json.dumps(document).encode())
    config = {"roleArn": "arn:aws:iam::123456789012:role/r"}
    if expires is not None:
        config["expiresInSec"] = expires  # type: ignore[assignment]
    create_job(
        backends["iot"],
        "j1",
        ["dev_0"],
        document=None,
        document_source="https://s3.amazonaws.com/zaws-firmware/dev_0/fota-1-job",
        presigned_url_config=config,
    )


def described(jobs: JobsService, plane: RecordingPlane, topic: str, request: Any) -> Any:
    plane.take()
    jobs.on_publish(client(), topic, json.dumps(request).encode())
    (answer,) = [m for m in plane.take() if m.client_id == "dev_0"]
    assert answer.topic.endswith("/accepted"), answer.body
    return answer.body


@pytest.mark.parametrize(
    "object_url",
    [
        s3_url("zaws-firmware", "us-east-1", "dev_0/fota-1-bc"),  # zaws: virtual-hosted
        "https://s3.us-east-1.amazonaws.com/zaws-firmware/dev_0/fota-1-bc",  # regional path
        "https://s3.amazonaws.com/zaws-firmware/dev_0/fota-1-bc",  # the Zerynth toolchain's
    ],
)
def test_the_placeholder_becomes_a_presigned_url_of_the_emulators_s3(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any], object_url: str
) -> None:
    fota_job(backends, object_url, 900)
    document = described(jobs, plane, f"{T}/j1/get", {})["execution"]["jobDocument"]
    url = urlsplit(document["bc_url"])
    assert f"{url.scheme}://{url.netloc}" == BASE
    assert url.path == "/zaws-firmware/dev_0/fota-1-bc"
    query = parse_qs(url.query)
    assert query["X-Amz-Expires"] == ["900"]
    assert refusal("GET", url.path, url.query, {"host": url.netloc}) is None
    late = time.time() + 901
    assert refusal("GET", url.path, url.query, {"host": url.netloc}, now=late) is not None
    assert document["bc_size"] == 16 and document["operation"] == "fota"


def test_the_url_lasts_an_hour_by_default_and_is_made_at_each_fetch(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    fota_job(backends, s3_url("zaws-firmware", "us-east-1", "dev_0/fota-1-bc"), None)
    stored = backends["s3"].get_object("zaws-firmware", "dev_0/fota-1-job").value
    assert b"${aws:iot:s3-presigned-url:" in stored  # never substituted at creation
    document = described(jobs, plane, f"{T}/j1/get", {})["execution"]["jobDocument"]
    assert parse_qs(urlsplit(document["bc_url"]).query)["X-Amz-Expires"] == ["3600"]


def test_every_way_a_device_fetches_the_document_substitutes_it(
    jobs: JobsService, plane: RecordingPlane, backends: dict[str, Any]
) -> None:
    plane.take()
    fota_job(backends, s3_url("zaws-firmware", "us-east-1", "dev_0/fota-1-bc"), 600)
    notified = [m.body for m in plane.take() if m.topic == f"{T}/notify-next"]
    fetched = [
        notified[0]["execution"]["jobDocument"],
        described(jobs, plane, f"{T}/$next/get", {})["execution"]["jobDocument"],
        described(jobs, plane, f"{T}/start-next", {})["execution"]["jobDocument"],
        described(
            jobs, plane, f"{T}/j1/update", {"status": "IN_PROGRESS", "includeJobDocument": True}
        )["jobDocument"],
    ]
    for document in fetched:
        assert document["bc_url"].startswith(f"{BASE}/zaws-firmware/dev_0/fota-1-bc?X-Amz-")
