"""Stored results of a period: rows, per-unit summaries, corrections as deltas."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import engine, scoring
from ..models import IndicatorResult, ReportPeriod

ZERO = Decimal("0.00")


def _where(agency_ids: Iterable[int] | None, include_province: bool) -> Q:
    units = Q() if agency_ids is None else Q(agency_id__in=list(agency_ids))
    if agency_ids is None and include_province:
        return Q()
    if agency_ids is None:
        return Q(agency__isnull=False)
    return units | Q(agency__isnull=True) if include_province else units


def period_results(
    period: ReportPeriod,
    *,
    agency_ids: Iterable[int] | None = None,
    group: str | None = None,
    include_province: bool = True,
) -> QuerySet[IndicatorResult]:
    """Stored rows (province row first, then units by path, criteria in order)."""
    rows = IndicatorResult.objects.filter(_where(agency_ids, include_province), period=period)
    if group:
        rows = rows.filter(group_code=group)
    return rows.select_related("agency").order_by(
        F("agency__path").asc(nulls_first=True), "criterion_code"
    )


@dataclass
class UnitSummary:
    agency_id: int | None  # None: the province
    name: str
    code: str
    kind: str
    groups: dict[str, Decimal] = field(default_factory=dict)  # group code → points
    decision_groups: dict[int, Decimal] = field(default_factory=dict)  # Decision 766 numbering
    total: Decimal = ZERO
    band: str = ""
    # The score now judges open items at ``judged_at``; the forecast at the period
    # end if nothing changes (equal to ``total`` once the period has ended).
    forecast_total: Decimal = ZERO
    judged_at: datetime.datetime | None = None

    @property
    def points_at_stake(self) -> Decimal:
        return scoring.round2(self.total - self.forecast_total)


def period_summaries(
    period: ReportPeriod,
    *,
    agency_ids: Iterable[int] | None = None,
    include_province: bool = True,
) -> list[UnitSummary]:
    """Group points, total and band per unit from the stored rows (province
    first, then units by total, best first). Three queries."""
    rule_set = period.rule_set
    groups = list(rule_set.groups.order_by("order"))
    bands = [(b.lower_bound, b.label) for b in rule_set.bands.filter(group__isnull=True)]
    sums = (
        IndicatorResult.objects.filter(_where(agency_ids, include_province), period=period)
        .values("agency_id", "agency__name", "agency__code", "agency__kind", "group_code")
        .annotate(
            points=Sum("score"),
            forecast=Sum(Coalesce("forecast_score", "score")),
            judged=Max("judged_at"),
        )
        .order_by()
    )
    forecasts: dict[int | None, Decimal] = {}
    by_agency: dict[int | None, UnitSummary] = {}
    for row in sums:
        agency_id = row["agency_id"]
        summary = by_agency.get(agency_id)
        if summary is None:
            summary = by_agency[agency_id] = UnitSummary(
                agency_id,
                row["agency__name"] or _("Toàn tỉnh"),
                row["agency__code"] or "",
                row["agency__kind"] or "province",
                {g.code: ZERO for g in groups},
            )
        summary.groups[row["group_code"]] = scoring.round2(row["points"] or ZERO)
        forecasts[agency_id] = forecasts.get(agency_id, ZERO) + (row["forecast"] or ZERO)
        if row["judged"] and (summary.judged_at is None or row["judged"] > summary.judged_at):
            summary.judged_at = row["judged"]
    decision_of = {g.code: g.decision_group for g in groups}
    for summary in by_agency.values():
        for code, points in summary.groups.items():
            number = decision_of.get(code, 0)
            summary.decision_groups[number] = summary.decision_groups.get(number, ZERO) + points
        summary.total = scoring.round2(sum(summary.groups.values(), ZERO))
        summary.band = scoring.band_for(summary.total, bands)
        summary.forecast_total = scoring.round2(forecasts.get(summary.agency_id, ZERO))
    return sorted(by_agency.values(), key=lambda s: (s.agency_id is not None, -s.total, s.name))


@dataclass(frozen=True)
class ResultDelta:
    agency_id: int | None
    code: str
    frozen_numerator: Decimal
    frozen_denominator: Decimal
    frozen_score: Decimal
    live_numerator: Decimal
    live_denominator: Decimal
    live_score: Decimal

    @property
    def score_delta(self) -> Decimal:
        return scoring.round2(self.live_score - self.frozen_score)


def period_deltas(period: ReportPeriod) -> list[ResultDelta]:
    """Corrections since the figures were stored (indicators-766.md §5): the
    stored rows against a fresh computation, only where they differ. Nothing
    is written — a published period stays as published."""
    stored = {
        (r.agency_id, r.criterion_code): r for r in IndicatorResult.objects.filter(period=period)
    }
    units = sorted({agency_id for agency_id, _code in stored if agency_id is not None})
    whole = any(agency_id is None for agency_id, _code in stored)
    live = engine.compute(
        period.start,
        period.end,
        None if whole else units,
        rule_set=period.rule_set,
        kind=period.kind,
        # Judged as the stored rows were: now, capped at the period end.
        now=timezone.now(),
    )
    deltas = []
    for result in live:
        frozen = stored.get((result.agency_id, result.code))
        if frozen is None:
            continue
        if (frozen.numerator, frozen.denominator, frozen.score) != (
            result.numerator,
            result.denominator,
            result.score,
        ):
            deltas.append(
                ResultDelta(
                    result.agency_id,
                    result.code,
                    frozen.numerator,
                    frozen.denominator,
                    frozen.score,
                    result.numerator,
                    result.denominator,
                    result.score,
                )
            )
    return deltas
