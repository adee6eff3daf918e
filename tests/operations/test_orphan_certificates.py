"""Certificates an interrupted add-things may have made without saving the key: listed for review,
deleted only when the user asks, and never a certificate the project cannot link to a lost answer.
"""

from __future__ import annotations

import json
import signal
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli_process import run_cli, start_cli
from tests.support.fault_proxy import FaultProxy
from tests.support.project_invariants import (
    assert_complete,
    local_records,
    orphans_under_review,
    remote_state,
)
from zaws.aws.settings import AwsSettings
from zaws.errors import InvalidInput
from zaws.operations.cleanup import cleanup
from zaws.operations.orphan_certificates import (
    CLOCK_SKEW_S,
    delete_orphan_certificates,
    review_orphan_certificates,
)

AFTER_CERTIFICATE = "after-call.iot.CreateKeysAndCertificate"  # made, its key in no file


def outside_certificate(iot: Any) -> str:
    """A colleague's INACTIVE certificate, attached to nothing: it looks like an orphan."""
    return str(iot.create_keys_and_certificate(setAsActive=False)["certificateId"])


def add(project: Path, count: int) -> tuple[str, ...]:
    return (
        "add-things",
        str(project),
        "--thing-base-name",
        "dev",
        "--things-number",
        str(count),
        "--workers",
        "4",
    )


def test_a_killed_run_deletes_no_certificate_it_cannot_prove_it_made(
    project: Path, zaws_home: Path, boto: Any, policy: str
) -> None:
    iot = boto("iot")
    before = outside_certificate(iot)
    killed = run_cli(
        zaws_home, *add(project, 20), kill=("after-call.iot.CreateKeysAndCertificate", 6)
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    rerun = run_cli(zaws_home, "-J", *add(project, 20))
    assert rerun.returncode == 0, rerun.stderr
    finished = json.loads(rerun.stdout)
    assert finished["resumed"] and finished["certificates_to_review"] >= 1
    names = [f"dev_{i}" for i in range(20)]
    assert_complete(project, iot, names, policy, outside=frozenset({before}))
    after = outside_certificate(iot)  # made after the run: outside every window
    _, certificates = remote_state(iot)
    assert {before, after} <= set(certificates)  # nothing deleted silently

    listed = run_cli(zaws_home, "-J", "orphan-certificates", str(project))
    assert listed.returncode == 0, listed.stderr
    candidates = {c["certificate_id"] for c in json.loads(listed.stdout)["candidates"]}
    assert candidates == orphans_under_review(project, iot)

    refused = run_cli(zaws_home, "orphan-certificates", str(project), "--delete")
    assert refused.returncode == 1 and "--yes" in refused.stderr  # no terminal: never unasked
    deleted = run_cli(zaws_home, "-J", "orphan-certificates", str(project), "--delete", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert set(json.loads(deleted.stdout)["deleted"]) == candidates
    _, certificates = remote_state(iot)
    recorded = {r["cert_arn"].rsplit("/", 1)[1] for r in local_records(project).values()}
    assert set(certificates) == recorded | ({before, after} - candidates)


def test_a_killed_run_s_request_served_after_the_rerun_asked_again_is_under_review(
    project: Path, zaws_home: Path, emulator_url: str, boto: Any, policy: str
) -> None:
    """A loaded server may serve a dead client's request late: after the rerun's own request."""
    iot = boto("iot")
    with FaultProxy(emulator_url, hold=["CreateKeysAndCertificate"]) as proxy:
        killed = start_cli(zaws_home, "--endpoint-url", proxy.url, *add(project, 1))
        try:
            proxy.wait_for("CreateKeysAndCertificate", "held")
        finally:
            killed.kill()
            killed.wait()
        rerun = run_cli(zaws_home, "-J", *add(project, 1))  # straight to the emulator
        assert rerun.returncode == 0, rerun.stderr
        time.sleep(CLOCK_SKEW_S[True] + 1)  # not a wait for an event: the server is this late
        proxy.release()
        proxy.wait_for("CreateKeysAndCertificate", "forwarded")
    recorded = {r["cert_arn"].rsplit("/", 1)[1] for r in local_records(project).values()}
    _, certificates = remote_state(iot)
    late = set(certificates) - recorded
    assert len(late) == 1  # made by the dead client's request, its key in no file
    assert orphans_under_review(project, iot) == late


def test_cleanup_after_an_interrupted_run_lists_candidates_and_deletes_none_of_them(
    project: Path, zaws_home: Path, aws: AwsSettings, boto: Any
) -> None:
    iot = boto("iot")
    killed = run_cli(
        zaws_home, *add(project, 8), kill=("after-call.iot.CreateKeysAndCertificate", 3)
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    after = outside_certificate(iot)  # a colleague's, made after the kill
    done = cleanup(project, aws=aws)
    assert done.certificates_to_review >= 1
    things, certificates = remote_state(iot)
    assert things == set() and after in certificates  # listed maybe, deleted never
    review = review_orphan_certificates(project, aws=aws)
    candidates = {c.certificate_id for c in review.candidates}
    assert candidates <= set(certificates) and set(certificates) - candidates <= {after}
    assert len(review.candidates) == done.certificates_to_review


def test_only_candidates_can_be_deleted(project: Path, aws: AwsSettings, boto: Any) -> None:
    outsider = outside_certificate(boto("iot"))
    with pytest.raises(InvalidInput, match="Not a certificate this project may have lost"):
        delete_orphan_certificates(project, aws=aws, certificate_ids=[outsider])
    assert outsider in remote_state(boto("iot"))[1]


def test_a_retried_delete_that_finds_the_certificate_gone_is_done(
    project: Path, aws: AwsSettings, emulator_url: str, boto: Any, policy: str
) -> None:
    """The first DeleteCertificate succeeded, its answer was lost, the retry says NotFound."""
    with FaultProxy(
        emulator_url, drop_after_rate=0.5, operations=["CreateKeysAndCertificate"], seed=3
    ) as proxy:
        from zaws.operations.add_things import add_things

        add_things(project, aws=replace(aws, endpoint_url=proxy.url), base_name="d", count=6)
    orphans = orphans_under_review(project, boto("iot"))
    assert orphans
    with FaultProxy(
        emulator_url, drop_after_rate=0.5, operations=["DeleteCertificate"], seed=2
    ) as proxy:
        review = delete_orphan_certificates(project, aws=replace(aws, endpoint_url=proxy.url))
        dropped = proxy.count("DeleteCertificate", "dropped_after")
    assert dropped >= 1 and review.already_gone  # a first attempt's answer was lost
    assert set(review.deleted) | set(review.already_gone) == orphans
    assert not set(remote_state(boto("iot"))[1]) & orphans
