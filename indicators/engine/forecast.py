"""Score now and forecast at the period end (issue #14, item 1).

While a period is open, an item not yet due is not late: the **score now**
judges open dossiers and PAKN at ``min(now, period end)``. The **forecast**
judges them at the period end, as the closed period will be if none of them
is finished in time (indicators-766.md §2, "Open dossiers"). Both come from
one aggregate: the counts that depend on the judging instant (2.1's
numerator, 5.4's late-and-marked overlap, 5.2's late, 5.3's satisfied) are
counted twice, the period-end twin under an ``f`` prefix, and the forecast
is the same scoring with the twins swapped in. A closed period's twins
equal the counts, so its forecast equals its score.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from .assemble import CriterionResult

FORECAST_COUNTS = ("n2_1", "marked_late_n")
FORECAST_PAKN = ("late52", "satisfied")


def judged_instant(now: datetime.datetime | None, until: datetime.datetime) -> datetime.datetime:
    """When open items are judged for the score now: ``now`` capped at the
    period end (a closed period, or no ``now``: the period end)."""
    return until if now is None else min(now, until)


def _swap(values: Mapping[str, int], names: Iterable[str]) -> dict[str, int]:
    adjusted = dict(values)
    for name in names:
        adjusted[name] = values.get(f"f{name}", values.get(name, 0))
    return adjusted


def forecast_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Dossier counts as the period end will see them if nothing changes."""
    return _swap(counts, FORECAST_COUNTS)


def forecast_pakn(pakn: Mapping[str, int]) -> dict[str, int]:
    """PAKN counts as the period end will see them if nothing changes."""
    return _swap(pakn, FORECAST_PAKN)


def merge_forecast(
    current: list[CriterionResult], forecast: Iterable[CriterionResult]
) -> list[CriterionResult]:
    """``current`` with each result's forecast numerator, ratio and score set."""
    by_key = {(r.agency_id, r.code): r for r in forecast}
    for result in current:
        twin = by_key.get((result.agency_id, result.code), result)
        result.forecast_numerator = twin.numerator
        result.forecast_ratio = twin.ratio
        result.forecast_score = twin.score
    return current
