"""list-things on hand-made projects: a thing missing its key shows so, stray folders are apart."""

from __future__ import annotations

import json
from pathlib import Path

from tests.project.test_thing_project import original_project
from zaws.operations.list_things import list_things


def test_a_healthy_project_has_no_missing_files_and_no_strays(tmp_path: Path) -> None:
    listing = list_things(original_project(tmp_path / "p", ["dev_0", "dev_1"]))
    assert [(t.name, t.missing_files) for t in listing.things] == [("dev_0", []), ("dev_1", [])]
    assert listing.stray_records == []


def test_a_thing_whose_key_or_certificate_is_missing_says_which(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0", "dev_1", "dev_2"])
    (root / ".aws_things_resources" / "dev_1" / "private.pem.key").unlink()
    (root / ".aws_things_resources" / "dev_2" / "certificate.pem.crt").unlink()
    (root / ".aws_things_resources" / "dev_2" / "private.pem.key").unlink()
    missing = {t.name: t.missing_files for t in list_things(root).things}
    assert missing == {
        "dev_0": [],
        "dev_1": ["private.pem.key"],
        "dev_2": ["private.pem.key", "certificate.pem.crt"],
    }


def test_stray_records_are_listed_apart_and_not_as_things(tmp_path: Path) -> None:
    root = original_project(tmp_path / "p", ["dev_0"])
    stray = root / ".aws_things_resources" / "colleague_7"
    stray.mkdir()
    (stray / "thing.conf.json").write_text(json.dumps({"thingname": "colleague_7"}))
    listing = list_things(root)
    assert [t.name for t in listing.things] == ["dev_0"]
    assert listing.stray_records == [
        {"folder": str(stray), "reason": "it has no cert_arn, not an AWS IoT certificate ARN"}
    ]
    assert json.loads(json.dumps(listing.to_dict()))["stray_records"][0]["folder"] == str(stray)
