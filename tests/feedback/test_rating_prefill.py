"""Criteria c1–c4 pre-filled from the dossier record with the placeholder rubric
of feedback.md (stored as data), and still editable by the citizen."""

from __future__ import annotations

import pytest

from feedback.models import RatingCriterion, RatingSource
from feedback.services.ratings import rating_prefill, rating_submit, rule_set_for
from tests.factories import AgencyFactory
from tests.feedback.conftest import JUSTICE, at

pytestmark = pytest.mark.django_db


def answers(rule_set) -> dict[str, int]:
    return {c.code: 2 for c in rule_set.criteria.all() if c.prefill == "none"}


def prefill_of(dossier) -> dict[str, int | None]:
    rule_set = rule_set_for(dossier.returned_at.date())
    values = rating_prefill(dossier, rule_set)
    return {code.split("_")[0]: value for code, value in values.items()}


def test_c1_and_c2_follow_timeliness(make_returned):
    # 5 WD from Mon 03/03/2025 09:00 → due Mon 10/03 09:00.
    early = make_returned(completed_at=at(2025, 3, 5, 9))
    on_time = make_returned(completed_at=at(2025, 3, 10, 9))
    late = make_returned(completed_at=at(2025, 3, 12, 9))
    apologised = make_returned(completed_at=at(2025, 3, 12, 9), apology=True)
    assert apologised.due_at > apologised.original_due_at == on_time.due_at
    assert [prefill_of(d)["c1"] for d in (early, on_time, late, apologised)] == [2, 2, 0, 1]
    assert [prefill_of(d)["c2"] for d in (early, on_time, late, apologised)] == [2, 2, 0, 1]
    # Criteria 5–9 are the citizen's to answer.
    assert {prefill_of(early)[f"c{i}"] for i in range(5, 10)} == {None}


def test_c3_counts_contacts_needed_to_complete_the_dossier(make_returned):
    values = [prefill_of(make_returned(completion_requests=n))["c3"] for n in (0, 1, 2)]
    assert values == [2, 1, 0]  # one contact, two, more


def test_c4_counts_agencies_and_the_rubric_is_data(make_returned, procedure, tinh):
    dossier = make_returned()
    assert prefill_of(dossier)["c4"] == 2  # one agency: the one-stop desk
    version = procedure.current_version
    version.coordinating_agencies.set([tinh["000.00.11.H99"], AgencyFactory()])
    criterion = RatingCriterion.objects.get(code="c4_agencies_contacted")
    criterion.rubric = {**criterion.rubric, "count_coordinating": True}
    criterion.save()
    assert prefill_of(dossier)["c4"] == 0  # 1 + 2 coordinating agencies
    criterion.rubric = {"thresholds": [[3, 1]], "otherwise": 0, "count_coordinating": True}
    criterion.save()
    assert prefill_of(dossier)["c4"] == 1


def test_prefilled_values_are_stored_and_editable(make_returned):
    dossier = make_returned(completed_at=at(2025, 3, 12, 9))  # late: c1 pre-filled 0
    rule_set = rule_set_for(dossier.returned_at.date())
    rating = rating_submit(
        dossier=dossier,
        source=RatingSource.PORTAL,
        scores={**answers(rule_set), "c1_total_time": 1},
        like="like",
    )
    scores = {s.criterion.code: s for s in rating.scores.select_related("criterion")}
    assert (scores["c1_total_time"].prefilled_score, scores["c1_total_time"].score) == (0, 1)
    # Left empty, a pre-filled criterion keeps the system's value.
    assert (scores["c3_contacts_needed"].prefilled_score, scores["c3_contacts_needed"].score) == (
        2,
        2,
    )
    assert rating.total == 1 + 0 + 2 + 2 + 5 * 2  # c2 kept its pre-filled 0 (late)
    assert dossier.receiving_agency.code == JUSTICE
