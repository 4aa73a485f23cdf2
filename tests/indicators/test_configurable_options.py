"""Disputed rules kept as rule-set settings (indicators-766.md §7)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators import engine
from indicators.models import Criterion, IndexRuleSet
from tests.indicators.conftest import END, START

pytestmark = pytest.mark.django_db
D = Decimal


def _get(commune, code):
    return next(
        r for r in engine.compute(START, END, [commune.pk]) if r.code == code and r.agency_id
    )


def test_41_may_count_open_dossiers(commune, worked_example):
    assert (_get(commune, "4.1").numerator, _get(commune, "4.1").denominator) == (5, 7)
    IndexRuleSet.objects.update(e_result_include_open=True)
    # D5 (withdrawn) is still out; D9 and D10, open, come in.
    assert (_get(commune, "4.1").numerator, _get(commune, "4.1").denominator) == (5, 9)


def test_54_may_deduplicate_late_and_disliked(commune, worked_example):
    assert _get(commune, "5.4").score == D("4.00")
    IndexRuleSet.objects.update(dedupe_late_and_disliked=True)
    got = _get(commune, "5.4")
    assert (got.numerator, got.ratio, got.score) == (7, D("70.00"), D("4.67"))


def test_42_curve_and_unobservable_fallback_are_data(commune, worked_example):
    Criterion.objects.filter(code="4.2").update(curve="linear", threshold=None)
    assert _get(commune, "4.2").score == D("2.00")
    # 4.6 (formula unpublished) is the one criterion the portal cannot compute.
    assert (_get(commune, "4.6").source, _get(commune, "4.6").score) == ("unavailable", 0)
    Criterion.objects.filter(code="4.6").update(fallback_ratio=D(30))
    got = _get(commune, "4.6")
    assert (got.observable, got.ratio, got.score, got.source) == (
        False,
        D("30.00"),
        D("0.60"),
        "fallback",
    )
