"""Grading bands on the total are dated configuration (feedback.md, Grading bands)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from feedback.models import RatingBand, RatingCriterion, RatingRuleSet, RatingSource
from feedback.services.ratings import band_for, rating_submit, rule_set_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (18, "excellent"),
        (15, "excellent"),
        (14, "good"),
        (12, "good"),
        (11, "fair"),
        (9, "fair"),
        (8, "average"),
        (6, "average"),
        (5, "weak"),
        (0, "weak"),
    ],
)
def test_default_bands_put_15_in_excellent(total, band):
    rule_set = rule_set_for(datetime.date(2025, 6, 1))
    assert band_for(rule_set, Decimal(total)).code == band


def test_rating_stores_total_and_band(make_returned):
    dossier = make_returned()  # early: c1–c4 pre-filled 2 each
    rule_set = rule_set_for(datetime.date(2025, 6, 1))
    citizen = {c.code: 1 for c in rule_set.criteria.all() if c.prefill == "none"}
    rating = rating_submit(
        dossier=dossier, source=RatingSource.DESK_KIOSK, scores=citizen, like="like"
    )
    assert rating.total == Decimal(8 + 5)
    assert (rating.band_code, rating.band_label) == ("good", "Tốt")
    assert rating.needs_review is False


def test_a_new_rule_set_changes_criteria_and_bands_from_its_date(make_returned):
    """Three levels and twelve criteria: supported by configuration alone."""
    new = RatingRuleSet.objects.create(
        name="Bộ 3 tiêu chí (thử)", valid_from=datetime.date(2026, 1, 1), scale="three_level"
    )
    for order, code in enumerate(["overall", "convenience", "timeliness"], start=1):
        RatingCriterion.objects.create(
            rule_set=new, code=code, order=order, label=code, max_score=2
        )
    RatingBand.objects.create(
        rule_set=new, code="satisfied", label="Hài lòng", min_total=Decimal(4), order=1
    )
    RatingBand.objects.create(
        rule_set=new, code="unsatisfied", label="Không hài lòng", max_total=Decimal(4), order=2
    )
    assert rule_set_for(datetime.date(2025, 12, 31)).criteria.count() == 9
    dossier = make_returned()
    rating = rating_submit(
        dossier=dossier,
        source=RatingSource.PORTAL,
        like="dislike",
        scores={"overall": 1, "convenience": 1, "timeliness": 1},
        at=datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC),
    )
    assert rating.rule_set == new and rating.scores.count() == 3
    assert (rating.total, rating.band_code) == (Decimal(3), "unsatisfied")
    assert rating.needs_review is True  # a dislike opens a review for the head
