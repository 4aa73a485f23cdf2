"""Pure scoring of Decision 766 criteria (indicators-766.md §2, §3, §6).

No database access: a criterion is reduced to a ``Rule``. Ratios are percent
rounded to 2 decimals, scores rounded to 2 decimals (half up); the score is
computed from the unrounded ratio.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)

LINEAR, CAP, CUSTOM_FACTOR, MONITORING = "linear", "cap", "custom_factor", "monitoring"
ZERO_POLICY, FULL_POLICY = "zero", "full"


def round2(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rule:
    max_points: Decimal
    curve: str = LINEAR
    threshold: Decimal | None = None  # percent, for CAP
    factor: Decimal | None = None  # points per unit ratio, for CUSTOM_FACTOR
    zero_denominator: str = ZERO_POLICY


def points(rule: Rule, fraction: Decimal) -> Decimal:
    """Unrounded points for a ratio given as a fraction (0.7 for 70%)."""
    maximum = Decimal(rule.max_points)
    if rule.curve == MONITORING:
        return ZERO
    r = max(ZERO, Decimal(fraction))
    if rule.curve == LINEAR:
        value = maximum * r
    elif rule.curve == CAP:
        threshold = Decimal(rule.threshold) / HUNDRED if rule.threshold else ZERO
        value = maximum if threshold <= 0 or r >= threshold else maximum * r / threshold
    elif rule.curve == CUSTOM_FACTOR:
        value = Decimal(rule.factor if rule.factor is not None else 1) * r
    else:
        raise ValueError(f"unknown curve {rule.curve!r}")
    return min(maximum, max(ZERO, value))


def score_fraction(rule: Rule, fraction: Decimal) -> tuple[Decimal, Decimal]:
    """(ratio %, score) for an already computed ratio (e.g. 3.3 × the 1.4 ratio)."""
    return round2(Decimal(fraction) * HUNDRED), round2(points(rule, fraction))


def score(rule: Rule, numerator, denominator) -> tuple[Decimal, Decimal]:
    """(ratio %, score), both rounded to 2 decimals, applying the curve and
    the zero-denominator policy (0 points, or full points as for 5.2/5.3)."""
    denominator = Decimal(denominator)
    if denominator <= 0:
        if rule.curve != MONITORING and rule.zero_denominator == FULL_POLICY:
            return ZERO.quantize(CENT), round2(Decimal(rule.max_points))
        return ZERO.quantize(CENT), ZERO.quantize(CENT)
    return score_fraction(rule, Decimal(numerator) / denominator)


def band_for(total: Decimal, bands: Iterable[tuple[Decimal, str]]) -> str:
    """The label of the highest band whose lower bound is ≤ total ("" if none)."""
    best: tuple[Decimal, str] | None = None
    for lower, label in bands:
        if Decimal(total) >= Decimal(lower) and (best is None or Decimal(lower) > best[0]):
            best = (Decimal(lower), label)
    return best[1] if best else ""


def group_band(group_score: Decimal, group_max: Decimal, bands) -> str:
    """Per-group band: bounds are a percentage of the group maximum."""
    if not group_max:
        return ""
    return band_for(Decimal(group_score) * HUNDRED / Decimal(group_max), bands)
