"""Property tests of the pure scoring: bounded, monotonic, full at the threshold."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from indicators import scoring
from indicators.scoring import Rule

maxima = st.sampled_from([Decimal(v) for v in (0, 2, 4, 6, 20)])
thresholds = st.sampled_from([Decimal(v) for v in (50, 80, 90)])
rules = st.one_of(
    st.builds(Rule, max_points=maxima, curve=st.just("linear")),
    st.builds(Rule, max_points=maxima, curve=st.just("cap"), threshold=thresholds),
    st.builds(
        Rule,
        max_points=maxima,
        curve=st.just("custom_factor"),
        factor=st.sampled_from([Decimal("2.5"), Decimal(1), Decimal(10)]),
    ),
    st.builds(Rule, max_points=maxima, curve=st.just("monitoring")),
)
counts = st.integers(min_value=0, max_value=10_000)


@given(rules, counts, counts)
def test_score_is_within_zero_and_max(rule, a, b):
    numerator, denominator = min(a, b), max(a, b)
    ratio, points = scoring.score(rule, numerator, denominator)
    assert Decimal(0) <= points <= rule.max_points
    assert Decimal(0) <= ratio <= Decimal(100)


@given(rules, counts, counts, st.integers(min_value=1, max_value=10_000))
def test_score_is_monotonic_in_the_ratio(rule, a, b, denominator):
    low, high = sorted((a % (denominator + 1), b % (denominator + 1)))
    assert scoring.score(rule, low, denominator)[1] <= scoring.score(rule, high, denominator)[1]


@given(maxima, thresholds, st.integers(min_value=1, max_value=10_000), st.data())
def test_capped_criteria_give_full_points_at_or_above_the_threshold(
    maximum, threshold, denominator, data
):
    rule = Rule(max_points=maximum, curve="cap", threshold=threshold)
    lowest = -(-int(threshold) * denominator // 100)  # ceil(threshold% × D)
    numerator = data.draw(st.integers(min_value=lowest, max_value=denominator))
    assert scoring.score(rule, numerator, denominator)[1] == maximum


def test_band_lookup_uses_the_highest_bound_reached():
    bands = [(Decimal(90), "Xuất sắc"), (Decimal(80), "Tốt"), (Decimal(0), "Yếu")]
    assert scoring.band_for(Decimal("89.99"), bands) == "Tốt"
    assert scoring.band_for(Decimal(90), bands) == "Xuất sắc"
    assert scoring.band_for(Decimal(12), bands) == "Yếu"
    assert scoring.group_band(Decimal(9), Decimal(10), bands) == "Xuất sắc"
