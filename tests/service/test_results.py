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


def test_fota_verification_keeps_ok_and_every_field() -> None:
    from zaws.operations.fota_findings import error, warning
    from zaws.operations.fota_verify import FotaVerification
    from zaws.service.results import fota_verification

    checked = FotaVerification(
        "job-1",
        findings=[error("firmware.md5", "bad", "redo"), warning("role", "unknown", "check")],
        passed=["job.url_validity"],
        document_source="https://b.s3.amazonaws.com/k",
    )
    assert fota_verification(checked) == {
        "jobId": "job-1",
        "ok": False,
        "passed": ["job.url_validity"],
        "findings": [
            {"check": "firmware.md5", "message": "bad", "hint": "redo", "severity": "error"},
            {"check": "role", "message": "unknown", "hint": "check", "severity": "warning"},
        ],
        "documentSource": "https://b.s3.amazonaws.com/k",
        "firmwareUrl": None,
    }
    assert fota_verification(FotaVerification("job-2"))["ok"] is True
