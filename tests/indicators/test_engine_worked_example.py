"""indicators-766.md §10 at the engine level: the ten dossiers of Xã A give
the dossier criteria of the worked example."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators import engine
from indicators.models import Criterion
from tests.indicators.conftest import END, START

pytestmark = pytest.mark.django_db
D = Decimal

EXPECTED = {
    "2.1": (7, 10, "70.00", "14.00"),
    "3.6": (2, 5, "40.00", "2.40"),
    "4.1": (5, 7, "71.43", "4.29"),
    "4.2": (5, 10, "50.00", "2.50"),
    "4.3": (3, 10, "30.00", "0.75"),
    "4.4": (5, 10, "50.00", "2.00"),
    "4.5b": (7, 10, "70.00", "1.40"),
    "5.4": (6, 10, "60.00", "4.00"),
}


def _by_code(results, agency_id):
    return {r.code: r for r in results if r.agency_id == agency_id}


def test_dossier_criteria_of_the_worked_example(commune, worked_example):
    results = engine.compute(START, END, [commune.pk])
    for agency_id in (commune.pk, None):  # the commune, and the province pooling it
        got = _by_code(results, agency_id)
        for code, (n, d, ratio, score) in EXPECTED.items():
            r = got[code]
            assert (r.numerator, r.denominator, r.ratio, r.score) == (
                D(n),
                D(d),
                D(ratio),
                D(score),
            ), (agency_id, code)
            assert r.observable


def test_sync_ratio_from_the_national_total_scales_the_online_share(commune, worked_example):
    results = engine.compute(START, END, [commune.pk], national_totals={commune.pk: 11})
    got = _by_code(results, commune.pk)
    assert (got["1.4"].numerator, got["1.4"].denominator) == (D(10), D(11))
    assert (got["1.4"].ratio, got["1.4"].score) == (D("90.91"), D("5.45"))
    assert (got["3.3"].numerator, got["3.3"].denominator) == (D(4), D(10))  # D5, D6 excluded
    assert (got["3.3"].ratio, got["3.3"].score) == (D("36.36"), D("4.36"))


def test_without_a_national_total_the_portal_count_is_the_1_4_denominator(commune, worked_example):
    got = _by_code(engine.compute(START, END, [commune.pk]), commune.pk)
    assert (got["1.4"].ratio, got["1.4"].score) == (D("100.00"), D("6.00"))
    assert got["1.4"].note
    assert (got["3.3"].ratio, got["3.3"].score) == (D("40.00"), D("4.80"))


def test_no_pakn_gives_full_points_and_every_criterion_says_where_it_comes_from(
    commune, worked_example
):
    got = _by_code(engine.compute(START, END, [commune.pk]), commune.pk)
    assert (got["5.2"].denominator, got["5.2"].score) == (D(0), D("6.00"))
    assert (got["5.3"].denominator, got["5.3"].score) == (D(0), D("6.00"))
    assert not got["4.6"].observable and got["4.6"].note and got["4.6"].score == 0
    assert got["4.6"].source == "unavailable"
    for code in ("1.1", "1.2", "1.3", "3.1", "3.2", "3.5", "3.5b"):
        assert got[code].observable and got[code].source == "catalogue", code
    for code in ("1.4", "3.3", "4.5a", "4.5b"):
        assert got[code].source == "flags", code
    for code in ("2.1", "3.6", "4.1", "4.2", "4.3", "4.4", "5.2", "5.3", "5.4"):
        assert got[code].source == "records", code
    # Every criterion of the scheme is present for the unit.
    assert set(got) == {c.code for c in Criterion.objects.filter(rule_set__valid_from__lte=START)}
