"""add-things and cleanup through a proxy that throttles, fails and drops connections.

The faults are injected on the wire (tests/support/fault_proxy.py) so botocore parses and retries
them as it would against AWS. Either every thing is created exactly once, or the run stops with a
clear message and a state that the same command finishes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.support.fault_proxy import FaultProxy
from tests.support.project_invariants import (
    assert_complete,
    assert_nothing_lost,
    orphans_under_review,
    remote_state,
)
from zaws.aws.settings import AwsSettings
from zaws.errors import RemoteFailure
from zaws.operations.add_things import add_things
from zaws.operations.cleanup import cleanup
from zaws.operations.orphan_certificates import delete_orphan_certificates


def test_every_thing_created_exactly_once_despite_faults(
    project: Path, aws: AwsSettings, emulator_url: str, boto: Any, policy: str
) -> None:
    with FaultProxy(
        emulator_url,
        throttle_rate=0.1,
        error_rate=0.05,
        drop_before_rate=0.05,
        drop_after_rate=0.05,
        seed=7,
    ) as proxy:
        flaky = replace(aws, endpoint_url=proxy.url, max_workers=4)
        added = add_things(project, aws=flaky, base_name="dev", count=30)
        assert proxy.total("throttled") and proxy.total("errored")
        assert proxy.total("dropped_before") and proxy.total("dropped_after")
    assert_complete(project, boto("iot"), added.things, policy)


def test_lost_certificate_responses_are_listed_for_review_and_deleted_only_when_asked(
    project: Path, aws: AwsSettings, emulator_url: str, boto: Any, policy: str
) -> None:
    """AWS made the certificate but the answer (with the only copy of the key) never arrived."""
    with FaultProxy(
        emulator_url, drop_after_rate=0.3, operations=["CreateKeysAndCertificate"], seed=3
    ) as proxy:
        added = add_things(
            project, aws=replace(aws, endpoint_url=proxy.url), base_name="d", count=8
        )
        lost = proxy.count("CreateKeysAndCertificate", "dropped_after")
    assert lost > 0
    assert added.certificates_to_review == lost
    assert_complete(project, boto("iot"), added.things, policy)
    orphans = orphans_under_review(project, boto("iot"))
    assert len(orphans) == lost  # still there: nothing deleted without the user's word

    review = delete_orphan_certificates(project, aws=aws)
    assert sorted(review.deleted) == sorted(orphans)
    _, certificates = remote_state(boto("iot"))
    assert len(certificates) == 8
    assert not (project / ".zaws" / "uncertain-certificates.json").exists()


def test_faults_beyond_the_retries_stop_the_run_resumably(
    project: Path, aws: AwsSettings, emulator_url: str, boto: Any, policy: str
) -> None:
    with (
        FaultProxy(emulator_url, error_rate=1.0, operations=["AttachPolicy"], seed=1) as proxy,
        pytest.raises(RemoteFailure) as failure,
    ):
        add_things(project, aws=replace(aws, endpoint_url=proxy.url), base_name="d", count=5)
    assert "were not created" in failure.value.message
    assert "run the same command again" in (failure.value.hint or "")
    assert_nothing_lost(project, boto("iot"))

    finished = add_things(project, aws=aws, base_name="d", count=5)
    assert finished.resumed
    assert_complete(project, boto("iot"), [f"d_{i}" for i in range(5)], policy)


def test_cleanup_through_faults_deletes_everything(
    project: Path, aws: AwsSettings, emulator_url: str, boto: Any
) -> None:
    add_things(project, aws=aws, base_name="d", count=12)
    with FaultProxy(
        emulator_url,
        throttle_rate=0.1,
        error_rate=0.05,
        drop_before_rate=0.05,
        drop_after_rate=0.05,
        seed=11,
    ) as proxy:
        cleanup(project, aws=replace(aws, endpoint_url=proxy.url, max_workers=4))
    assert remote_state(boto("iot")) == (set(), {})
    assert not (project / ".aws_things_resources").exists()
