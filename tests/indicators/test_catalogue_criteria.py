"""Catalogue and publication criteria (1.1–1.3, 3.1, 3.2, 3.5, 3.5b, 4.5a)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators import engine
from indicators.models import IndexRuleSet
from tests.indicators.conftest import END, START

pytestmark = pytest.mark.django_db
D = Decimal


def _nd(results, agency_id):
    return {
        r.code: (int(r.numerator), int(r.denominator))
        for r in results
        if r.agency_id == agency_id and r.code != "2.2"
    }


def test_units_and_the_province(commune, worked_example, catalogue_example):
    results = engine.compute(START, END)
    commune_, province = _nd(results, commune.pk), _nd(results, None)
    # The commune: its three procedures and the commune-level one without a named agency.
    assert commune_["3.1"] == (3, 4)  # "offline" has no online service
    assert commune_["3.2"] == (2, 3)  # "generic" received no online dossier
    assert commune_["3.5"] == (1, 2)  # fee-bearing: "fee", "generic"; "fee" synced a fee list
    assert commune_["3.5b"] == (1, 2)  # and was paid online (D1, D3)
    assert commune_["4.5a"] == (2, 2)
    # The province counts each procedure once; 3.5 only provincial-level ones.
    assert province["3.1"] == (4, 5)
    assert province["3.2"] == (2, 4)
    assert province["3.5"] == (1, 2)  # "fee" and "department"
    # The department: its own procedure only, no commune-level ones.
    department = _nd(results, catalogue_example["department_unit"].pk)
    assert department["3.1"] == (1, 1) and department["3.2"] == (0, 1)
    got = {r.code: r for r in results if r.agency_id == commune.pk}
    assert got["3.1"].score == D("1.88")  # 75% of an 80% cap × 2
    assert got["3.1"].note == "Toàn trình: 1/1 TTHC đủ điều kiện"


def test_publication_criteria_are_province_values_counted_once(
    commune, worked_example, catalogue_example
):
    results = engine.compute(START, END)
    for agency_id in (commune.pk, commune.parent_id, None):
        got = _nd(results, agency_id)
        # 1.1: fee (late in task 2, so late for the period), X.1, free (late), offline.
        assert got["1.1"] == (2, 4)
        # 1.2: posted in the period or decided and still unposted; X.1 on time, and
        # "offline", unposted but due 17/04 (after the period end): within the deadline,
        # as the publication board shows it.
        assert got["1.2"] == (2, 5)
        # 1.3: the five counted procedures, "offline" lacks its steps.
        assert got["1.3"] == (4, 5)
    IndexRuleSet.objects.update(posting_rule="due_by_end")
    # Unposted "offline" is due 17/04, after the period: out of the denominator.
    assert _nd(engine.compute(START, END, [commune.pk]), commune.pk)["1.2"] == (1, 4)


def test_without_catalogue_or_decisions_the_ratios_are_zero(commune):
    got = {r.code: r for r in engine.compute(START, END, [commune.pk]) if r.agency_id}
    for code in ("1.1", "1.2", "1.3", "3.1", "3.2", "3.5", "3.5b", "4.5a"):
        assert (got[code].denominator, got[code].ratio, got[code].score) == (0, 0, 0), code
