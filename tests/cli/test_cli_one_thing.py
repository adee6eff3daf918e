"""remove-thing, revoke-certificate and activate-certificate as a user types them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def ok(result: Any) -> str:
    assert result.returncode == 0, result.stderr
    return str(result.stdout)


def test_remove_a_thing_with_a_dry_run_first(project: Path, run_zaws: Any, boto: Any) -> None:
    ok(run_zaws("add-things", str(project), "--thing-base-name", "dev", "--things-number", "3"))
    plan = ok(run_zaws("remove-thing", str(project), "dev_0", "dev_2", "--dry-run"))
    assert "delete 2 things and 2 certificates" in plan and "the active thing" in plan
    assert len(boto("iot").list_things()["things"]) == 3

    refused = run_zaws("remove-thing", str(project), "dev_0")
    assert refused.returncode == 1 and "--yes" in refused.stderr  # no terminal: never unasked

    done = ok(run_zaws("remove-thing", str(project), "dev_0", "dev_2", "--yes"))
    assert "Removed 2 things" in done and "no active thing now" in done
    assert [t["thingName"] for t in boto("iot").list_things()["things"]] == ["dev_1"]
    listing = json.loads(ok(run_zaws("-J", "list-things", str(project))))
    assert [t["name"] for t in listing["things"]] == ["dev_1"] and listing["active_thing"] is None


def test_revoke_then_the_thing_shows_it_and_cannot_be_activated(
    project: Path, run_zaws: Any
) -> None:
    ok(run_zaws("add-things", str(project), "--thing-base-name", "dev", "--things-number", "2"))
    revoked = json.loads(ok(run_zaws("-J", "revoke-certificate", str(project), "dev_1", "--yes")))
    assert revoked["status"] == "REVOKED" and revoked["previous_status"] == "ACTIVE"
    assert "certificate REVOKED" in ok(run_zaws("list-things", str(project)))
    refused = run_zaws("set-active-thing", str(project), "--thing-name", "dev_1")
    assert refused.returncode == 1 and "revoked" in refused.stderr
    again = run_zaws("revoke-certificate", str(project), "dev_1", "--yes")
    assert again.returncode == 1 and "REVOKED already" in again.stderr


def test_deactivate_and_activate_again(project: Path, run_zaws: Any, boto: Any) -> None:
    ok(run_zaws("add-things", str(project), "--thing-base-name", "dev"))
    ok(run_zaws("revoke-certificate", str(project), "dev_0", "--deactivate", "--yes"))
    cert_id = boto("iot").list_certificates()["certificates"][0]["certificateId"]
    status = boto("iot").describe_certificate(certificateId=cert_id)["certificateDescription"]
    assert status["status"] == "INACTIVE"
    assert "is ACTIVE" in ok(run_zaws("activate-certificate", str(project), "dev_0"))
    status = boto("iot").describe_certificate(certificateId=cert_id)["certificateDescription"]
    assert status["status"] == "ACTIVE"
