"""The demo: evaluations and PAKN in every state, through the services, idempotent."""

from __future__ import annotations

import pytest

from feedback.demo import seed_feedback
from feedback.models import Feedback, Rating, Status

pytestmark = pytest.mark.django_db


def test_seed_covers_every_state_and_is_idempotent(catalogue):
    first = seed_feedback()
    assert first["ratings"] == 3 and first["pakn"] >= 10
    assert set(Feedback.objects.values_list("status", flat=True)) == set(Status.values)
    assert Feedback.objects.filter(follow_up_of__isnull=False).count() == 1
    assert Feedback.objects.exclude(channel="portal").exists()
    assert Rating.objects.filter(like="dislike", needs_review=True).count() == 1
    counts = (Feedback.objects.count(), Rating.objects.count())
    assert seed_feedback() == {"ratings": 0, "pakn": 0}
    assert (Feedback.objects.count(), Rating.objects.count()) == counts
