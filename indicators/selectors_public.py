"""Read side of the public monthly 766 report: published periods only, and
only aggregates per unit (no dossier, no person)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q, Sum
from django.utils.translation import gettext as _

from tthc_portal.agencies.models import AgencyKind

from . import scoring
from .criteria import Code
from .models import IndicatorResult, PeriodStatus, ReportPeriod
from .ranking import COMMUNE_KINDS, DEPARTMENT_KINDS, ZERO, ranked
from .selectors import scheme_for

ON_TIME_CODE = (
    Code.ON_TIME
)  # "Hồ sơ giải quyết trước và đúng hạn": the on-time rate shown to the public


def published_periods():
    """Published periods, newest first (a queryset: the page paginates it)."""
    return ReportPeriod.objects.filter(status=PeriodStatus.PUBLISHED).order_by("-end", "-start")


@dataclass
class PublicRow:
    agency_id: int | None
    name: str
    kind: str
    total: Decimal
    band: str
    level: int
    on_time: Decimal | None  # 2.1 ratio, percent
    rank: int = 0


@dataclass
class PublicReport:
    period: ReportPeriod
    province: PublicRow | None
    departments: list[PublicRow]
    communes: list[PublicRow]
    others: list[PublicRow]


def public_report(period: ReportPeriod) -> PublicReport:
    """Each unit's total, band and on-time rate of a published period: aggregates
    only, never a dossier or a person."""
    if period.status != PeriodStatus.PUBLISHED:
        raise ReportPeriod.DoesNotExist
    scheme = scheme_for(period.rule_set_id)
    rows = (
        IndicatorResult.objects.filter(period=period)
        .values("agency_id", "agency__name", "agency__kind", "agency__parent_id")
        .annotate(
            total=Sum("score"),
            # No dossier in the period: no rate (not 0%).
            on_time=Max("ratio", filter=Q(criterion_code=ON_TIME_CODE, denominator__gt=0)),
        )
        .order_by()
    )
    province, departments, communes, others = None, [], [], []
    for row in rows:
        total = scoring.round2(row["total"] or ZERO)
        entry = PublicRow(
            row["agency_id"],
            row["agency__name"] or _("Toàn tỉnh"),
            row["agency__kind"] or AgencyKind.PROVINCE,
            total,
            scheme.band(total),
            scheme.band_level(total),
            row["on_time"],
        )
        if row["agency_id"] is None:
            province = entry
        elif row["agency__kind"] == AgencyKind.PROVINCE and row["agency__parent_id"] is None:
            continue  # the province's own unit row repeats the pooled province row
        elif row["agency__kind"] in DEPARTMENT_KINDS:
            departments.append(entry)
        elif row["agency__kind"] in COMMUNE_KINDS:
            communes.append(entry)
        else:
            others.append(entry)
    return PublicReport(period, province, ranked(departments), ranked(communes), ranked(others))
