"""Ranks on the 766 dashboards and reports: departments and communes are ranked
separately (indicators-766.md §4), a user's units are placed in the full ranking."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from tthc_portal.agencies.models import AgencyKind

from . import scoring
from .models import IndicatorResult, ReportPeriod

DEPARTMENT_KINDS = (AgencyKind.PROVINCIAL_OFFICE, AgencyKind.DEPARTMENT, AgencyKind.AUTHORITY)
COMMUNE_KINDS = (AgencyKind.COMMUNE, AgencyKind.DISTRICT)
ZERO = Decimal("0.00")


def ranked(scores: list) -> list:
    """Highest total first; equal totals share a rank (1, 2, 2, 4)."""
    ordered = sorted(scores, key=lambda s: (-s.total, s.name))
    for index, score in enumerate(ordered):
        same = index and ordered[index - 1].total == score.total
        score.rank = ordered[index - 1].rank if same else index + 1
        score.of = len(ordered)
    return ordered


def category(kind: str) -> str:
    if kind in DEPARTMENT_KINDS:
        return "departments"
    if kind in COMMUNE_KINDS:
        return "communes"
    return "others"


def peer_totals(period: ReportPeriod) -> dict[str, list[Decimal]]:
    """Every unit's total in the period by category, for ranks in the full
    ranking; one grouped query. The province's own unit row is left out, as in
    the public report (it repeats the pooled province row)."""
    rows = (
        IndicatorResult.objects.filter(period=period, agency__isnull=False)
        .exclude(agency__kind=AgencyKind.PROVINCE, agency__parent__isnull=True)
        .values("agency_id", "agency__kind")
        .annotate(total=Sum("score"))
        .order_by()
    )
    peers: dict[str, list[Decimal]] = {}
    for row in rows:
        kind_group = category(row["agency__kind"])
        peers.setdefault(kind_group, []).append(scoring.round2(row["total"] or ZERO))
    return peers


def ranked_among(scores: list, peers: list[Decimal]) -> list:
    """The user's units placed in the full ranking of their category: a unit's
    rank is one more than the number of units with a higher total (the same
    1, 2, 2, 4 rule as ``ranked``), whoever may see those other units."""
    ordered = sorted(scores, key=lambda s: (-s.total, s.name))
    for score in ordered:
        score.rank = 1 + sum(1 for total in peers if total > score.total)
        score.of = len(peers)
    return ordered
