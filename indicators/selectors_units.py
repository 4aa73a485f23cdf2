"""Read side of the 766 dashboard for one unit: its criteria, one row each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from . import scoring
from .models import (
    IndicatorResult,
    ReportPeriod,
    Source,
)
from .ranking import (
    ZERO,
)
from .selectors import (
    Column,
    Scheme,
    Scope,
    scheme_for,
)


@dataclass
class CriterionRow:
    code: str
    name: str
    group: str
    order: int
    numerator: Decimal
    denominator: Decimal
    ratio: Decimal
    score: Decimal
    max_points: Decimal
    observable: bool
    source: str
    source_label: str
    note: str

    @property
    def lost(self) -> Decimal:
        return scoring.round2(self.max_points - self.score)

    @property
    def unverified(self) -> bool:
        """Not from the portal's own records or catalogue: sync flags, a configured
        fallback ratio, or nothing to compute with (labelled on the page)."""
        return self.source not in (Source.RECORDS, Source.CATALOGUE)

    @property
    def listable(self) -> bool:
        """Worth a drill-down link: points lost on something the portal can list."""
        return self.lost > 0 and self.source != Source.UNAVAILABLE


def criterion_rows(
    scheme: Scheme, period: ReportPeriod, agency_id: int | None
) -> list[CriterionRow]:
    where = Q(agency__isnull=True) if agency_id is None else Q(agency_id=agency_id)
    rows = []
    for r in IndicatorResult.objects.filter(where, period=period).order_by():
        criterion = scheme.criteria.get(r.criterion_code)
        rows.append(
            CriterionRow(
                code=r.criterion_code,
                name=criterion.name if criterion else r.criterion_code,
                group=criterion.group.name if criterion else "",
                order=(criterion.group.order * 1000 + criterion.order) if criterion else 10**6,
                numerator=r.numerator,
                denominator=r.denominator,
                ratio=r.ratio,
                score=r.score,
                max_points=r.max_points,
                observable=r.observable,
                source=r.source,
                source_label=str(r.get_source_display()),
                note=r.note,
            )
        )
    return sorted(rows, key=lambda r: (r.order, r.code))


@dataclass
class UnitReport:
    period: ReportPeriod
    agency_id: int | None
    name: str
    scheme: Scheme
    columns: list[Column]
    rows: list[CriterionRow]
    groups: list[Decimal]
    total: Decimal
    band: str
    level: int


def unit_report(
    scope: Scope, period: ReportPeriod, agency_id: int | None, display: str | None = None
) -> UnitReport | None:
    """The criterion table of one unit (None: the province), or None if out of
    scope or not computed."""
    if agency_id not in scope:
        return None
    scheme = scheme_for(period.rule_set_id)
    rows = criterion_rows(scheme, period, agency_id)
    if not rows:
        return None
    columns = scheme.columns(display or scheme.rule_set.display)
    by_code = {r.code: r.score for r in rows}
    groups = [
        scoring.round2(sum((by_code.get(c, ZERO) for c in column.codes), ZERO))
        for column in columns
    ]
    total = scoring.round2(sum((r.score for r in rows), ZERO))
    return UnitReport(
        period=period,
        agency_id=agency_id,
        name=_("Toàn tỉnh") if agency_id is None else scope.units[agency_id].name,
        scheme=scheme,
        columns=columns,
        rows=rows,
        groups=groups,
        total=total,
        band=scheme.band(total),
        level=scheme.band_level(total),
    )
