"""One evaluation per dossier per source: a database constraint, and a clear
message on the second attempt (service, kiosk page)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from feedback.models import Rating, RatingSource
from feedback.services import FeedbackError
from feedback.services.ratings import rating_submit

pytestmark = pytest.mark.django_db
CITIZEN_SCORES = {
    "c5_one_stop_compliance": 2,
    "c6_publicity": 2,
    "c7_attitude": 2,
    "c8_feedback_response": 1,
    "c9_online_service": 2,
}


def test_second_rating_from_the_same_source_is_refused(make_returned):
    dossier = make_returned()
    first = rating_submit(
        dossier=dossier, source=RatingSource.DESK_KIOSK, scores=CITIZEN_SCORES, like="like"
    )
    with pytest.raises(FeedbackError) as refused:
        rating_submit(
            dossier=dossier, source=RatingSource.DESK_KIOSK, scores=CITIZEN_SCORES, like="dislike"
        )
    assert "đã được đánh giá qua kênh “Ki-ốt tại Bộ phận Một cửa”" in refused.value.message
    assert "Mỗi hồ sơ chỉ được đánh giá một lần trên mỗi kênh" in refused.value.message
    # Another source is another evaluation.
    rating_submit(
        dossier=dossier, source=RatingSource.PORTAL, scores=CITIZEN_SCORES, like="dislike"
    )
    assert Rating.objects.filter(dossier=dossier).count() == 2
    # The database refuses a duplicate even when the service is bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            dossier=dossier,
            source=RatingSource.DESK_KIOSK,
            rule_set=first.rule_set,
            submitted_at=first.submitted_at,
        )


def test_missing_or_out_of_range_scores_are_explained(make_returned):
    dossier = make_returned()
    with pytest.raises(FeedbackError) as refused:
        rating_submit(
            dossier=dossier,
            source=RatingSource.PORTAL,
            scores={**CITIZEN_SCORES, "c7_attitude": 3, "c9_online_service": ""},
            like="like",
        )
    assert set(refused.value.fields) == {"c7_attitude", "c9_online_service"}
    assert "Thái độ của cán bộ" in refused.value.fields["c7_attitude"][0]
    assert not Rating.objects.exists()


def test_paper_sheets_are_transcribed_by_the_receiving_agency_only(make_returned, users):
    from django.core.exceptions import PermissionDenied

    dossier = make_returned()
    with pytest.raises(PermissionDenied):
        rating_submit(
            dossier=dossier,
            source=RatingSource.PAPER,
            scores=CITIZEN_SCORES,
            like="like",
            actor=users["motcua.yte"],
        )
    rating = rating_submit(
        dossier=dossier,
        source=RatingSource.PAPER,
        scores=CITIZEN_SCORES,
        like="like",
        actor=users["motcua.tuphap"],
    )
    assert rating.submitted_by == users["motcua.tuphap"]


def test_an_open_dossier_cannot_be_rated(users, procedure):
    from dossiers.services.submission import dossier_create_draft

    draft = dossier_create_draft(actor=users["001085012345"], procedure=procedure)
    with pytest.raises(FeedbackError, match="chưa kết thúc"):
        rating_submit(dossier=draft, source=RatingSource.PORTAL, scores=CITIZEN_SCORES, like="like")
