"""dossiers_with_dislike_or_pakn feeds criterion 5.4: dossiers with a "dislike"
or a PAKN naming them, each counted once, per agency and period."""

from __future__ import annotations

import datetime

import pytest

from feedback.models import RatingSource
from feedback.selectors import dossiers_with_dislike_or_pakn
from feedback.services.ratings import rating_submit
from tests.feedback.conftest import HEALTH, JUSTICE, at, submit_pakn

pytestmark = pytest.mark.django_db
SCORES = {
    "c5_one_stop_compliance": 2,
    "c6_publicity": 2,
    "c7_attitude": 0,
    "c8_feedback_response": 1,
    "c9_online_service": 2,
}
START, END = datetime.date(2025, 3, 15), datetime.date(2025, 4, 14)


def test_dislike_and_linked_pakn_each_count_once(make_returned, tinh):
    disliked, with_pakn, liked, outside = (make_returned() for _ in range(4))
    in_period = at(2025, 3, 20, 10)
    rating_submit(
        dossier=disliked, source=RatingSource.PORTAL, scores=SCORES, like="dislike", at=in_period
    )
    # A second dislike and a PAKN on the same dossier: still one dossier.
    rating_submit(
        dossier=disliked,
        source=RatingSource.DESK_KIOSK,
        scores=SCORES,
        like="dislike",
        at=in_period,
    )
    submit_pakn(in_period, dossier_code=disliked.code)
    item = submit_pakn(in_period, dossier_code=f" {with_pakn.code.lower()} ")
    assert item.dossier == with_pakn  # typed code linked to the dossier
    rating_submit(
        dossier=liked, source=RatingSource.PORTAL, scores=SCORES, like="like", at=in_period
    )
    # Outside the period: not counted.
    rating_submit(
        dossier=outside,
        source=RatingSource.PORTAL,
        scores=SCORES,
        like="dislike",
        at=at(2025, 4, 15, 8),
    )

    marked = dossiers_with_dislike_or_pakn([tinh[JUSTICE].pk], START, END)
    assert sorted(marked) == sorted([disliked.pk, with_pakn.pk])
    assert marked.count() == 2
    assert dossiers_with_dislike_or_pakn([tinh[HEALTH].pk], START, END).count() == 0


def test_the_dossier_page_snippet_lists_linked_pakn(make_returned):
    from django.template.loader import render_to_string

    dossier = make_returned()
    assert render_to_string("feedback/_dossier_feedback.html", {"dossier": dossier}).strip() == ""
    item = submit_pakn(dossier_code=dossier.code)
    html = render_to_string("feedback/_dossier_feedback.html", {"dossier": dossier})
    assert item.code in html and f"/phan-anh-kien-nghi/xu-ly/{item.pk}/" in html
