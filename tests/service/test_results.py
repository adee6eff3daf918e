from pathlib import Path

from zaws.service.results import camel, to_protocol


def test_camel_case() -> None:
    assert camel("orphan_certificates_deleted") == "orphanCertificatesDeleted"
    assert camel("project") == "project"


def test_keys_are_converted_all_the_way_down_except_job_documents() -> None:
    result = to_protocol(
        {
            "thing_name": "a",
            "things": [{"cert_arn": "x", "remote": {"thing_exists": True}}],
            "document": {"bc_crc": "ff", "bc_idx": 1},
            "folder": Path("/p"),
        }
    )
    assert result == {
        "thingName": "a",
        "things": [{"certArn": "x", "remote": {"thingExists": True}}],
        "document": {"bc_crc": "ff", "bc_idx": 1},
        "folder": "/p",
    }
