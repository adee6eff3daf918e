"""The step journal's reading of its log: which certificate requests may have made a certificate
the project does not know, and until when such a certificate can be dated."""

from __future__ import annotations

import json
from pathlib import Path

from zaws.project.step_journal import ANSWER_DEADLINE_S, StepJournal


def journal_with(folder: Path, *lines: dict[str, object]) -> StepJournal:
    folder.mkdir()
    (folder / "log.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    return StepJournal(folder)


def test_a_request_never_answered_may_have_made_its_certificate_after_the_next_line(
    tmp_path: Path,
) -> None:
    """A killed run's request can still be in the server's queue when the rerun asks again."""
    journal = journal_with(
        tmp_path / "j",
        {"thing": "a", "step": "cert", "t": 1000.0},
        {"thing": "a", "step": "cert", "t": 1002.0},  # the rerun, two seconds later
        {"thing": "a", "step": "cert-saved", "t": 1003.0, "cert_arn": "arn:c", "retries": 0},
    )
    (lost,) = journal.progress()["a"].uncertain_requests
    assert lost.sent == 1000.0 and lost.bounded == 1002.0
    assert lost.made_by(now=5000.0) == 1000.0 + ANSWER_DEADLINE_S


def test_a_window_closed_later_than_the_deadline_keeps_its_own_end(tmp_path: Path) -> None:
    journal = journal_with(
        tmp_path / "j",
        {"thing": "a", "step": "cert", "t": 1000.0, "key": "k1"},
        {"thing": "a", "step": "cert", "t": 9000.0, "key": "k1"},  # rerun the next day
    )
    first, still_open = journal.progress()["a"].uncertain_requests
    assert first.made_by(now=9500.0) == 9000.0 and first.key == "k1"
    assert still_open.bounded is None and still_open.made_by(now=9500.0) == 9500.0


def test_an_answered_request_is_not_uncertain_unless_it_was_retried(tmp_path: Path) -> None:
    journal = journal_with(
        tmp_path / "j",
        {"thing": "a", "step": "cert", "t": 1.0},
        {"thing": "a", "step": "cert-saved", "t": 2.0, "cert_arn": "arn:a", "retries": 0},
        {"thing": "b", "step": "cert", "t": 1.0},
        {"thing": "b", "step": "cert-saved", "t": 2.0, "cert_arn": "arn:b", "retries": 2},
    )
    states = journal.progress()
    assert states["a"].uncertain_requests == [] and states["a"].cert_arn == "arn:a"
    (retried,) = states["b"].uncertain_requests
    assert retried.made_by(now=3.0) == 1.0 + ANSWER_DEADLINE_S
