"""indicators-766.md §10 at the scoring level: the table's N/D inputs give
every ratio and score, each group total, 64.73 in all and 70.73 without PAKN."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from indicators import scoring
from indicators.models import Criterion, IndexRuleSet
from indicators.scoring import Rule

pytestmark = pytest.mark.django_db

D = Decimal
# code: (numerator, denominator, expected ratio %, expected score)
EXAMPLE = {
    "1.1": (95, 100, "95.00", "5.70"),
    "1.2": (90, 100, "90.00", "3.60"),
    "1.3": (100, 100, "100.00", "2.00"),
    "1.4": (10, 11, "90.91", "5.45"),
    "2.1": (7, 10, "70.00", "14.00"),
    "3.1": (100, 120, "83.33", "2.00"),
    "3.2": (30, 100, "30.00", "1.20"),
    "3.5": (20, 40, "50.00", "1.25"),
    "3.5b": (8, 40, "20.00", "0.50"),
    "3.6": (2, 5, "40.00", "2.40"),
    "4.1": (5, 7, "71.43", "4.29"),
    "4.2": (5, 10, "50.00", "2.50"),
    "4.6": (0, 0, "0.00", "0.00"),
    "4.3": (3, 10, "30.00", "0.75"),
    "4.4": (5, 10, "50.00", "2.00"),
    "4.5a": (4, 6, "66.67", "1.33"),
    "4.5b": (7, 10, "70.00", "1.40"),
    "5.2": (1, 2, "50.00", "3.00"),
    "5.3": (1, 2, "50.00", "3.00"),
    "5.4": (6, 10, "60.00", "4.00"),
}
GROUPS = {
    "transparency": "16.75",
    "dvc-progress-tree": "14.00",
    "provide-online-tree": "7.56",
    "formality-online-payment-tree": "4.15",
    "dossier-digitized": "12.27",
    "handling-satisfaction": "10.00",
}


@pytest.fixture
def criteria() -> dict[str, Criterion]:
    rule_set = IndexRuleSet.in_force(datetime.date(2025, 3, 15))
    return {c.code: c for c in rule_set.criteria.select_related("group")}


def _scores(criteria, overrides=None) -> dict[str, tuple[Decimal, Decimal]]:
    out = {}
    for code, (n, d, _, _) in {**EXAMPLE, **(overrides or {})}.items():
        out[code] = scoring.score(criteria[code].rule, n, d)
    # 3.3: online share 4/10 times the 1.4 sync ratio 10/11.
    out["3.3"] = scoring.score_fraction(criteria["3.3"].rule, D(4) / 10 * D(10) / 11)
    return out


def _group_totals(criteria, scores) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for code, (_, points) in scores.items():
        group = criteria[code].group.code
        totals[group] = totals.get(group, D(0)) + points
    return totals


def test_every_criterion_ratio_and_score(criteria):
    scores = _scores(criteria)
    for code, (_, _, ratio, points) in EXAMPLE.items():
        assert scores[code] == (D(ratio), D(points)), code
    assert scores["3.3"] == (D("36.36"), D("4.36"))


def test_group_totals_total_and_band(criteria):
    totals = _group_totals(criteria, _scores(criteria))
    assert {k: str(v) for k, v in totals.items()} == GROUPS
    total = sum(totals.values())
    assert total == D("64.73")
    rule_set = next(iter(criteria.values())).rule_set
    bands = [(b.lower_bound, b.label) for b in rule_set.bands.all()]
    assert scoring.band_for(total, bands) == "Trung bình"


def test_without_pakn_the_total_is_70_73(criteria):
    scores = _scores(criteria, {"5.2": (0, 0, "", ""), "5.3": (0, 0, "", "")})
    assert scores["5.2"] == (D("0.00"), D("6.00"))
    assert scores["5.3"] == (D("0.00"), D("6.00"))
    assert sum(_group_totals(criteria, scores).values()) == D("70.73")


def test_linear_42_gives_64_23(criteria):
    Criterion.objects.filter(code="4.2").update(curve="linear", threshold=None)
    criteria["4.2"].refresh_from_db()
    scores = _scores(criteria)
    assert scores["4.2"] == (D("50.00"), D("2.00"))
    totals = _group_totals(criteria, scores)
    assert totals["dossier-digitized"] == D("11.77")
    assert sum(totals.values()) == D("64.23")


def test_zero_denominator_policies():
    zero = Rule(max_points=D(6), curve="cap", threshold=D(90))
    full = Rule(max_points=D(6), zero_denominator="full")
    assert scoring.score(zero, 0, 0) == (D("0.00"), D("0.00"))
    assert scoring.score(full, 0, 0) == (D("0.00"), D("6.00"))
    assert scoring.score(Rule(max_points=D(0), curve="monitoring"), 5, 10) == (
        D("50.00"),
        D("0.00"),
    )
