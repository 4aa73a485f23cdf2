"""Two submits through one link at the same instant (double click, two tabs):
on PostgreSQL exactly one rating is recorded and the other is told the link
was used."""

from __future__ import annotations

from collections import Counter

import pytest

from feedback.models import Rating, RatingLink
from feedback.services.rating_links import USED, RatingLinkUnusable, rating_submit_by_link
from tests.dossiers.test_concurrency import run_together
from tests.feedback.rating_links import invitation_token

# serialized_rollback: see tests/feedback/test_pakn_concurrency.py.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]
SCORES = {"c5_one_stop_compliance": 2, "c6_publicity": 2, "c7_attitude": 2,
          "c8_feedback_response": 2, "c9_online_service": 2}  # fmt: skip


def test_parallel_submits_through_one_link_record_one_rating(require_postgres, make_returned):
    dossier = make_returned()
    token = invitation_token(dossier)
    results = run_together(
        [lambda like=like: rating_submit_by_link(token=token, scores=SCORES, like=like).pk
         for like in ("like", "dislike") * 4]
    )  # fmt: skip
    assert Counter(kind for kind, _ in results) == {"ok": 1, "error": 7}, results
    refusals = [value for kind, value in results if kind == "error"]
    assert all(isinstance(e, RatingLinkUnusable) and e.state == USED for e in refusals), refusals
    winner = next(value for kind, value in results if kind == "ok")
    assert list(Rating.objects.values_list("pk", flat=True)) == [winner]
    link = RatingLink.objects.get(dossier=dossier)
    assert link.used_at is not None and link.rating_id == winner
