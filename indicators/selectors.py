"""Read side of the 766 dashboard: stored results, permission-scoped, set-based.

Every figure comes from ``IndicatorResult`` rows (the local prediction the
engine stored); group scores and totals are sums computed in SQL, one query
for all units of a period whatever their number. Departments and communes are
ranked separately (indicators-766.md §4).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tthc_portal.agencies.models import Agency, AgencyKind

from . import scoring
from .models import (
    Criterion,
    Display,
    IndexRuleSet,
    IndicatorGroup,
    IndicatorResult,
    PeriodKind,
    ReportPeriod,
)
from .ranking import (
    ZERO,
    category,
    peer_totals,
    ranked,
    ranked_among,
)
from .services import scope as scope_service

if TYPE_CHECKING:
    from .selectors_units import CriterionRow

VIEW, PUBLISH = "view_indicators", "publish_indicators"
TREND_PERIODS = 12
# The Decision's own group names (indicators-766.md §1.1), for the five-group display.
DECISION_GROUPS = {
    1: gettext_lazy("Công khai, minh bạch"),
    2: gettext_lazy("Tiến độ, kết quả giải quyết"),
    3: gettext_lazy("Số hóa hồ sơ"),
    4: gettext_lazy("Cung cấp dịch vụ trực tuyến"),
    5: gettext_lazy("Mức độ hài lòng"),
}


# --- periods -----------------------------------------------------------------------------


def period_dates(period: ReportPeriod) -> str:
    return f"{period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}"


def periods_available() -> list[ReportPeriod]:
    """Periods with stored results, newest first."""
    return list(
        ReportPeriod.objects.filter(
            Exists(IndicatorResult.objects.filter(period=OuterRef("pk")))
        ).order_by("-end", "-start")
    )


def period_from_key(key: str | None, periods: list[ReportPeriod]) -> ReportPeriod | None:
    """``?ky=`` holds the period's id."""
    if not (key or "").isdigit():
        return None
    return next((p for p in periods if p.pk == int(key)), None)


def default_period(periods: list[ReportPeriod], today: datetime.date) -> ReportPeriod | None:
    """The latest closed month (what the province publishes), else the newest."""
    months = [p for p in periods if p.kind == PeriodKind.MONTH]
    closed = [p for p in months if p.end < today]
    if closed:
        return closed[0]
    return (months or periods or [None])[0]


# --- scope -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    short_name: str
    kind: str
    path: str
    parent_id: int | None

    @property
    def is_province(self) -> bool:
        return self.parent_id is None and self.kind == AgencyKind.PROVINCE


@dataclass
class Scope:
    """The agencies a user may see indicators of: each permitted one and its subtree."""

    units: dict[int, Unit] = field(default_factory=dict)
    province: bool = False  # the pooled province row (agency null) is visible

    def __contains__(self, agency_id: int | None) -> bool:
        return self.province if agency_id is None else agency_id in self.units

    @property
    def tops(self) -> list[Unit]:
        """Units whose parent is outside the scope (the heads of the user's subtrees)."""
        return [u for u in self.units.values() if u.parent_id not in self.units]


def indicator_scope(user, perm: str = VIEW) -> Scope:
    """The units of ``services.scope.indicator_scope`` (who sees what is decided
    there), with the names and kinds the pages show."""
    allowed = scope_service.indicator_scope(user, perm)
    if not allowed.agency_ids:
        return Scope()
    rows = Agency.objects.filter(pk__in=allowed.agency_ids).values_list(
        "pk", "name", "short_name", "kind", "path", "parent_id"
    )
    return Scope({row[0]: Unit(*row) for row in rows}, allowed.whole_province)


# --- the scheme ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One group column of the chosen display: six DVCQG groups or the Decision's five."""

    key: str
    name: str
    max_points: Decimal
    codes: tuple[str, ...]  # criteria summed into it


@dataclass
class Scheme:
    rule_set: IndexRuleSet
    groups: list[IndicatorGroup]
    criteria: dict[str, Criterion]
    bands: list[tuple[Decimal, str]]

    @property
    def has_two_displays(self) -> bool:
        return len({g.decision_group for g in self.groups}) != len(self.groups)

    def columns(self, display: str) -> list[Column]:
        codes: dict[str, list[str]] = {}
        for criterion in self.criteria.values():
            codes.setdefault(criterion.group.code, []).append(criterion.code)
        if display != Display.FIVE_GROUPS or not self.has_two_displays:
            return [
                Column(g.code, g.name, g.max_points, tuple(codes.get(g.code, ())))
                for g in self.groups
            ]
        merged: dict[int, Column] = {}
        for g in self.groups:
            number = g.decision_group
            previous = merged.get(number)
            name = str(DECISION_GROUPS.get(number) or _("Nhóm %(n)s") % {"n": number})
            merged[number] = Column(
                f"decision-{number}",
                name,
                (previous.max_points if previous else ZERO) + g.max_points,
                (previous.codes if previous else ()) + tuple(codes.get(g.code, ())),
            )
        return [merged[n] for n in sorted(merged)]

    def band(self, total: Decimal) -> str:
        return scoring.band_for(total, self.bands)

    def band_level(self, total: Decimal) -> int:
        """1 for the best band, 2 for the next… (colours on the page; 0: no band)."""
        label = self.band(total)
        ordered = [lab for _lower, lab in sorted(self.bands, key=lambda b: -b[0])]
        return ordered.index(label) + 1 if label in ordered else 0


def scheme_for(rule_set_id: int) -> Scheme:
    rule_set = IndexRuleSet.objects.prefetch_related("groups", "bands").get(pk=rule_set_id)
    criteria = {
        c.code: c
        for c in Criterion.objects.filter(rule_set=rule_set)
        .select_related("group")
        .order_by("group__order", "order")
    }
    groups = sorted(rule_set.groups.all(), key=lambda g: g.order)
    bands = [(b.lower_bound, b.label) for b in rule_set.bands.all() if b.group_id is None]
    return Scheme(rule_set, groups, criteria, bands)


# --- scores per unit ---------------------------------------------------------------------


@dataclass
class UnitScore:
    agency_id: int | None
    name: str
    kind: str
    groups: list[Decimal]
    total: Decimal
    band: str
    level: int = 0  # band level, see Scheme.band_level
    rank: int = 0
    of: int = 0  # how many units of the same category were ranked
    delta: Decimal | None = None  # against the previous period of the same kind
    forecast: Decimal | None = None  # open items judged at the period end (total: now)

    @property
    def is_province(self) -> bool:
        return self.agency_id is None


def _group_sums(columns: list[Column]) -> dict:
    return {
        f"g{i}": Sum("score", filter=Q(criterion_code__in=column.codes), default=ZERO)
        for i, column in enumerate(columns)
    }


def _totals(period: ReportPeriod, columns: list[Column], agency_ids, province: bool) -> dict:
    """{agency id or None: (group sums, total, forecast total)} in one grouped query."""
    where = Q(agency_id__in=list(agency_ids))
    if province:
        where |= Q(agency__isnull=True)
    rows = (
        IndicatorResult.objects.filter(where, period=period)
        .values("agency_id")
        .annotate(
            total=Sum("score"),
            later=Sum(Coalesce("forecast_score", "score")),
            **_group_sums(columns),
        )
        .order_by()
    )
    return {
        row["agency_id"]: (
            [scoring.round2(row[f"g{i}"] or ZERO) for i in range(len(columns))],
            scoring.round2(row["total"] or ZERO),
            scoring.round2(row["later"] or ZERO),
        )
        for row in rows
    }


@dataclass
class TrendPoint:
    label: str
    total: Decimal
    groups: list[Decimal]


@dataclass
class Dashboard:
    period: ReportPeriod
    scheme: Scheme
    display: str
    columns: list[Column]
    headline: UnitScore | None
    departments: list[UnitScore]
    communes: list[UnitScore]
    others: list[UnitScore]
    trend: list[TrendPoint]
    previous: ReportPeriod | None
    weakest: list[CriterionRow]  # the headline's criteria losing most points
    # Categories ("departments", "communes", "others") the user's units belong to:
    # a department head is not shown an empty commune ranking.
    covers: frozenset[str] = frozenset()


def _previous(period: ReportPeriod, periods: list[ReportPeriod]) -> ReportPeriod | None:
    earlier = [
        p
        for p in periods
        if p.kind == period.kind
        and p.reporting_15th == period.reporting_15th
        and p.end < period.start
    ]
    return max(earlier, key=lambda p: p.end, default=None)


def _trend(
    period: ReportPeriod, agency_id, columns: list[Column], periods: list[ReportPeriod]
) -> list[TrendPoint]:
    """The unit's totals over the last periods of the same kind, oldest first."""
    where = Q(agency__isnull=True) if agency_id is None else Q(agency_id=agency_id)
    rows = (
        IndicatorResult.objects.filter(
            where,
            period__kind=period.kind,
            period__reporting_15th=period.reporting_15th,
            period__end__lte=period.end,
        )
        .values("period_id", "period__end")
        .annotate(total=Sum("score"), **_group_sums(columns))
        .order_by("-period__end")[:TREND_PERIODS]
    )
    titles = {p.pk: p.title for p in periods}
    return [
        TrendPoint(
            str(titles.get(row["period_id"], "")),
            scoring.round2(row["total"] or ZERO),
            [scoring.round2(row[f"g{i}"] or ZERO) for i in range(len(columns))],
        )
        for row in list(rows)[::-1]
    ]


def dashboard(
    scope: Scope,
    period: ReportPeriod,
    display: str | None = None,
    periods: list[ReportPeriod] | None = None,
) -> Dashboard | None:
    """Province (or the user's own units), rankings and trend for one period.

    None when nothing was computed for the period.
    """
    periods = periods_available() if periods is None else periods
    if period not in periods:
        return None
    scheme = scheme_for(period.rule_set_id)
    display = display or scheme.rule_set.display
    columns = scheme.columns(display)
    current = _totals(period, columns, scope.units, scope.province)
    previous_period = _previous(period, periods)
    before = _totals(previous_period, [], scope.units, scope.province) if previous_period else {}

    def score_of(agency_id: int | None, name: str, kind: str) -> UnitScore | None:
        if agency_id not in current:
            return None
        groups, total, forecast = current[agency_id]
        old = before.get(agency_id)
        return UnitScore(
            agency_id,
            name,
            kind,
            groups,
            total,
            scheme.band(total),
            scheme.band_level(total),
            delta=scoring.round2(total - old[1]) if old else None,
            forecast=forecast,
        )

    headline_id: int | None = None
    if scope.province:
        headline = score_of(None, _("Toàn tỉnh"), AgencyKind.PROVINCE)
    else:
        tops = sorted(scope.tops, key=lambda u: u.path)
        headline_id = tops[0].id if tops else None
        headline = score_of(tops[0].id, tops[0].name, tops[0].kind) if tops else None
    categories: dict[str, list[UnitScore]] = {"departments": [], "communes": [], "others": []}
    covers: set[str] = set()
    for unit in scope.units.values():
        if unit.is_province:
            continue
        covers.add(category(unit.kind))
        score = score_of(unit.id, unit.name, unit.kind)
        if score is not None:
            categories[category(unit.kind)].append(score)
    if scope.province:
        # Every unit is in scope: the ranking shown is the full ranking.
        lists = {key: ranked(scores) for key, scores in categories.items()}
    else:
        peers = peer_totals(period)
        lists = {
            key: ranked_among(scores, peers.get(key, [])) for key, scores in categories.items()
        }
    weakest = []
    if headline is not None:
        from .selectors_units import criterion_rows  # the unit page's rows, imported late

        rows = criterion_rows(scheme, period, headline_id)
        weakest = sorted((r for r in rows if r.lost > 0), key=lambda r: (-r.lost, r.order))[:5]
    return Dashboard(
        period=period,
        scheme=scheme,
        display=display,
        columns=columns,
        headline=headline,
        departments=lists["departments"],
        communes=lists["communes"],
        others=lists["others"],
        covers=frozenset(covers),
        trend=_trend(period, headline_id, columns, periods) if headline else [],
        previous=previous_period,
        weakest=weakest,
    )
