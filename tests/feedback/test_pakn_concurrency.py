"""On PostgreSQL the transition service's row lock gives conflicting actions on
one item exactly one winner; parallel submissions get distinct daily numbers."""

from __future__ import annotations

from collections import Counter

import pytest

from feedback.models import FeedbackHistory
from feedback.services import FeedbackError, pakn
from tests.dossiers.test_concurrency import run_together
from tests.feedback.conftest import at, pakn_data, submit_pakn

# serialized_rollback: the flush after these tests then leaves the database
# empty for the next test that restores the serialized contents (live_server
# tests), instead of recreating content types that would collide with it.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]


def test_refuse_versus_classify_versus_request_has_one_winner(require_postgres, users, tinh):
    office = users["vanphong"]
    item = submit_pakn(at(2025, 3, 3, 9))
    jobs = [
        lambda: pakn.feedback_refuse(actor=office, item=item, reason="Là đơn tố cáo.").status
    ] * 3 + [
        lambda: pakn.feedback_request_info(actor=office, item=item, request="Bổ sung.").status
    ] * 3
    results = run_together(jobs)
    assert Counter(kind for kind, _ in results) == {"ok": 1, "error": 5}, results
    assert all(isinstance(v, FeedbackError) for kind, v in results if kind == "error")
    item.refresh_from_db()
    winner = next(value for kind, value in results if kind == "ok")
    assert item.status == winner
    assert FeedbackHistory.objects.filter(feedback=item).count() == 2


def test_parallel_submissions_are_numbered_without_collision(require_postgres, tinh):
    results = run_together(
        [lambda n=n: pakn.feedback_submit(data=pakn_data(title=f"Số {n}"),
                                          received_at=at(2025, 6, 2, 9)).code for n in range(12)]
    )  # fmt: skip
    assert [kind for kind, _ in results] == ["ok"] * 12, results
    assert sorted(code for _, code in results) == [f"PAKN-250602-{n:04d}" for n in range(1, 13)]
