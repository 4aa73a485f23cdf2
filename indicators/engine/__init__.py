"""Local prediction of the Decision 766 criteria (indicators-766.md §2-§4).

Set-based, in a fixed number of queries whatever the number of units or
dossiers:

* the period's candidate dossiers go once into a temporary table with every
  per-dossier value (``rows``), then one grouped aggregate counts each
  dossier criterion per receiving unit and one groups (unit, procedure) pairs
  for the procedure criteria (3.2, 3.5, 3.5b, 4.5a);
* the catalogue (3.1, 3.2, 3.5, 3.5b) and the publication criteria
  (1.1–1.3) take one query each (``catalogue``), the PAKN criteria two
  (``pakn``), the 1.4 fallback volume one.

Python then adds the per-unit counts into each requested unit's subtree and
into the province (pooled numerators and denominators, never an average of
scores), and divides and rounds through ``scoring`` (``assemble``).
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from feedback.selectors import period_bounds
from integrations.reconcile.figures import national_received_totals
from tthc_portal.agencies.models import Agency, AgencyKind

from .. import scoring
from ..criteria import Code
from ..models import Criterion, IndexRuleSet
from ..periods import periods_per_year
from .assemble import CriterionResult, ProcedureUse, Scorer, UnitInput, unit_results
from .catalogue import (
    PROVINCIAL_LEVELS,
    Catalogue,
    Ratio,
    criterion_11,
    criterion_12,
    criterion_13,
    load_catalogue,
)
from .forecast import forecast_counts, forecast_pakn, judged_instant, merge_forecast
from .pakn import KEYS as PAKN_KEYS
from .pakn import pakn_counts
from .rows import dossier_criteria, flag, in_period_scope, key
from .table import dossier_rows

__all__ = [
    "CriterionResult",
    "Inputs",
    "Scope",
    "Summary",
    "compute",
    "forecast_counts",
    "forecast_pakn",
    "gather",
    "judged_instant",
    "score_both",
    "summarise",
]

PROVINCE = None  # agency key of the pooled province row
Progress = Callable[[int, str], None]


@dataclass
class Summary:
    agency_id: int | None
    groups: dict[str, Decimal] = field(default_factory=dict)
    # The Decision's five groups (display "five_groups"): groups with the same number added.
    decision_groups: dict[int, Decimal] = field(default_factory=dict)
    total: Decimal = Decimal("0.00")
    band: str = ""


# --- which units ----------------------------------------------------------------------------


@dataclass
class Scope:
    """The reported units and every agency their subtrees hold."""

    units: list[tuple[int, str]]  # (pk, path) of each reported unit
    paths: list[tuple[str, int, str]]  # (path, pk, kind) of every agency, sorted by path
    whole_province: bool

    def subtree(self, path: str) -> list[tuple[int, str]]:
        """(pk, kind) of the agency at ``path`` and every unit under it."""
        start = bisect.bisect_left(self.paths, (path,))
        found = []
        for candidate, pk, kind in self.paths[start:]:
            if not candidate.startswith(path):
                break
            found.append((pk, kind))
        return found

    @property
    def member_ids(self) -> list[int]:
        seen: set[int] = set()
        for _pk, path in self.units:
            seen.update(pk for pk, _kind in self.subtree(path))
        return sorted(seen)


def resolve_scope(agency_ids: Iterable[int] | None = None) -> Scope:
    """``None``: every active unit, and the whole province pooled. One query."""
    rows = list(Agency.objects.values_list("path", "pk", "kind", "is_active"))
    paths = sorted((path, pk, kind) for path, pk, kind, _active in rows)
    if agency_ids is None:
        units = [(pk, path) for path, pk, _kind, active in rows if active]
    else:
        wanted = set(agency_ids)
        units = [(pk, path) for path, pk, _kind, _active in rows if pk in wanted]
    units.sort(key=lambda unit: unit[1])
    return Scope(units, paths, agency_ids is None)


# --- the inputs, in a fixed number of queries ----------------------------------------------------


@dataclass
class Inputs:
    rule_set: IndexRuleSet
    criteria: dict[str, Criterion]
    periods_per_year: int
    counts: dict[int, dict[str, int]]
    uses: dict[int, dict[int, ProcedureUse]]  # agency → procedure → use
    processing: dict[int, datetime.timedelta]
    last_year: dict[int, int]
    pakn: dict[int, dict[str, int]]
    catalogue: Catalogue
    publication: dict[str, Ratio]
    # Latest official "dossiers received" per agency (integrations.NationalFigure): 1.4.
    national: dict[int, int] = field(default_factory=dict)
    # When open items were judged for the score now (the period end when closed).
    judged_at: datetime.datetime | None = None


def at_risk_q(now: datetime.datetime, until: datetime.datetime) -> Q:
    """Open now, not waiting for the citizen, at most one supplement request,
    not yet overdue, due before the period end: on time only if finished by
    the deadline (the predicted-loss set, services/predicted.py)."""
    return (
        (Q(end_at__isnull=True) | Q(end_at__gt=now))
        & Q(pending_at__isnull=True)
        & Q(n_requests__lte=1)
        & Q(deadline__gte=now)
        & Q(deadline__lt=until)
    )


def _count_expressions(since, until, rule_set, now) -> dict:
    received = Q(received_at__gte=since)
    in_21 = in_period_scope(since)
    finished = received & (Q(completed_at__lt=until) | Q(returned_at__lt=until))
    counts: dict = {"received": Count("pk", filter=received)}
    for code, criterion in dossier_criteria(since, until, rule_set).items():
        counts[f"d{key(code)}"] = Count("pk", filter=criterion.denominator)
        counts[f"n{key(code)}"] = Count("pk", filter=criterion.denominator & criterion.numerator)
    counts["marked_n"] = Count("pk", filter=in_21 & Q(marked=True))
    counts["marked_late_n"] = Count("pk", filter=in_21 & Q(marked=True, on_time=0))
    counts["fn2_1"] = Count("pk", filter=in_21 & Q(on_time_end=1))
    counts["fmarked_late_n"] = Count("pk", filter=in_21 & Q(marked=True, on_time_end=0))
    counts["n22"] = Count("pk", filter=finished)
    counts["t22"] = Sum(
        ExpressionWrapper(F("end_at") - F("received_at"), output_field=DurationField()),
        filter=finished,
    )
    if now is not None:
        risk = in_21 & at_risk_q(now, until)
        counts["at_risk"] = Count("pk", filter=risk)
    return counts


def _fallback_ids(scope: Scope, counts: Mapping[int, Mapping[str, int]]) -> list[int] | None:
    """Agencies whose pools received nothing in the period: only they need last
    year's volume (the 1.4 fallback). ``None``: every agency (nothing received at all)."""

    def received(members: Iterable[int]) -> int:
        return sum(counts.get(m, {}).get("received", 0) for m in members)

    if not any(c.get("received", 0) for c in counts.values()):
        return None if scope.whole_province else scope.member_ids
    needed: set[int] = set()
    for _pk, path in scope.units:
        members = [pk for pk, _kind in scope.subtree(path)]
        if not received(members):
            needed.update(members)
    return sorted(needed)


def _last_year_volume(agency_ids: list[int] | None, start: datetime.date) -> dict[int, int]:
    """Per agency, dossiers received in the previous calendar year (empty list: no query)."""
    if agency_ids is not None and not agency_ids:
        return {}
    tz = timezone.get_current_timezone()
    since = datetime.datetime(start.year - 1, 1, 1, tzinfo=tz)
    until = datetime.datetime(start.year, 1, 1, tzinfo=tz)
    dossiers = Dossier.objects.filter(received_at__gte=since, received_at__lt=until)
    if agency_ids is not None:
        dossiers = dossiers.filter(receiving_agency_id__in=agency_ids)
    rows = dossiers.values("receiving_agency_id").annotate(n=Count("pk")).order_by()
    return {r["receiving_agency_id"]: r["n"] for r in rows}


def _kind_of(start: datetime.date, end: datetime.date) -> str:
    days = (end - start).days + 1
    return "month" if days <= 31 else "quarter" if days <= 92 else "year"


def gather(
    period_start: datetime.date,
    period_end: datetime.date,
    scope: Scope,
    *,
    rule_set: IndexRuleSet | None = None,
    kind: str | None = None,
    now: datetime.datetime | None = None,
    progress: Progress | None = None,
    on_rows: Callable[[QuerySet], None] | None = None,
) -> Inputs:
    """Every count the criteria need, per receiving unit (fixed number of queries).

    With ``now``, open items are judged at ``min(now, period end)`` (the score
    now: not yet due means within deadline), and the forecast twins of the
    counts that depend on it are judged at the period end. Without ``now``
    both are judged at the period end (a closed period). ``on_rows`` is
    called with the filled rows table (publication freezes its lists from it)."""

    def step(percent: int, message: str) -> None:
        if progress is not None:
            progress(percent, message)

    rule_set = rule_set or IndexRuleSet.in_force(period_start)
    criteria = {
        c.code: c for c in Criterion.objects.filter(rule_set=rule_set).select_related("group")
    }
    since, until = period_bounds(period_start, period_end)
    ids = None if scope.whole_province else scope.member_ids
    step(5, _("Đang tổng hợp hồ sơ của kỳ"))
    judged_at = judged_instant(now, until)
    with dossier_rows(
        since=since, until=until, rule_set=rule_set, agency_ids=ids, judged_at=judged_at
    ) as rows:
        if on_rows is not None:
            on_rows(rows)
        step(50, _("Đang đếm theo từng chỉ tiêu"))
        grouped = (
            rows.values("receiving_agency_id")
            .annotate(**_count_expressions(since, until, rule_set, now))
            .order_by()
        )
        counts, processing = {}, {}
        for row in grouped:
            agency_id = row.pop("receiving_agency_id")
            processing[agency_id] = row.pop("t22") or datetime.timedelta(0)
            counts[agency_id] = row
        step(65, _("Đang tổng hợp theo thủ tục"))
        pairs = (
            rows.filter(received_at__gte=since)
            .values("receiving_agency_id", "procedure_id")
            .annotate(
                u_citizen=Max(flag(Q(citizen=True))),
                u_population=Max(
                    flag(Q(vneid_verified=True) | Q(population_db_used=True) | Q(from_store=True))
                ),
                u_online=Max(flag(Q(channel=2))),
                # 3.5 / 3.5b count what the hub acknowledged, not the local payments.
                u_fee_listed=Max(flag(Q(fee_list_synced=True))),
                u_paid=Max(flag(Q(payment_synced=True))),
            )
            .order_by()
        )
        uses: dict[int, dict[int, ProcedureUse]] = defaultdict(dict)
        for r in pairs:
            uses[r["receiving_agency_id"]][r["procedure_id"]] = ProcedureUse(
                bool(r["u_citizen"]),
                bool(r["u_population"]),
                bool(r["u_online"]),
                bool(r["u_fee_listed"]),
                bool(r["u_paid"]),
            )
    step(75, _("Đang tính các chỉ tiêu danh mục và công bố"))
    catalogue = load_catalogue(period_end)
    c11, _late = criterion_11(period_start, period_end)
    c12, _late = criterion_12(period_start, period_end, rule_set)
    publication = {Code.PUBLISH_ON_TIME: c11, Code.POSTED_ON_TIME: c12}
    publication[Code.CONTENT_FULL] = criterion_13(period_end)
    step(85, _("Đang tính các chỉ tiêu phản ánh, kiến nghị"))
    pakn = pakn_counts(ids, since, until, judged_at)
    last_year = _last_year_volume(_fallback_ids(scope, counts), period_start)
    kind = kind or _kind_of(period_start, period_end)
    national = national_received_totals(period_start, period_end, kind, ids)
    return Inputs(
        rule_set=rule_set,
        criteria=criteria,
        periods_per_year=periods_per_year(kind),
        counts=counts,
        uses=dict(uses),
        processing=processing,
        last_year=last_year,
        pakn=pakn,
        catalogue=catalogue,
        publication=publication,
        national=national,
        judged_at=judged_at,
    )


# --- scoring -------------------------------------------------------------------------------------

CountsAdjust = Callable[[dict[str, int]], dict[str, int]]


def _pool(rows: Mapping[int, Mapping[str, int]], ids: Iterable[int]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for agency_id in ids:
        for name, value in rows.get(agency_id, {}).items():
            total[name] += value
    return total


def _pool_uses(inputs: Inputs, ids: Iterable[int]) -> dict[int, ProcedureUse]:
    pooled: dict[int, ProcedureUse] = {}
    for agency_id in ids:
        for procedure_id, use in inputs.uses.get(agency_id, {}).items():
            seen = pooled.setdefault(procedure_id, ProcedureUse())
            seen.citizen |= use.citizen
            seen.population |= use.population
            seen.online |= use.online
            seen.fee_listed |= use.fee_listed
            seen.paid_online |= use.paid_online
    return pooled


def unit_input(
    inputs: Inputs,
    agency_id: int | None,
    members: list[tuple[int, str]],
    *,
    national_total: int | None = None,
    adjust: CountsAdjust | None = None,
    forecast: bool = False,
) -> UnitInput:
    ids = [pk for pk, _kind in members]
    catalogue = inputs.catalogue
    if agency_id is PROVINCE:
        authority = catalogue.province()
        fee_authority = {
            p
            for p in authority
            if catalogue.procedures[p].fee_bearing
            and catalogue.procedures[p].level in PROVINCIAL_LEVELS
        }
    else:
        has_commune = any(kind == AgencyKind.COMMUNE for _pk, kind in members)
        authority = catalogue.authority(ids, has_commune)
        fee_authority = {p for p in authority if catalogue.procedures[p].fee_bearing}
    counts = _pool(inputs.counts, ids)
    pakn = _pool(inputs.pakn, ids)
    if forecast:
        counts, pakn = forecast_counts(counts), forecast_pakn(pakn)
    pakn = {k: v for k, v in pakn.items() if k in PAKN_KEYS}
    return UnitInput(
        counts=adjust(counts) if adjust else counts,
        uses=_pool_uses(inputs, ids),
        authority=authority,
        fee_authority=fee_authority,
        last_year=sum(inputs.last_year.get(a, 0) for a in ids),
        periods_per_year=inputs.periods_per_year,
        national_total=national_total,
        pakn=pakn,
        publication=inputs.publication,
        catalogue=catalogue,
        processing_time=sum(
            (inputs.processing.get(a, datetime.timedelta(0)) for a in ids), datetime.timedelta(0)
        ),
    )


def _national_total(inputs: Inputs, members: list[tuple[int, str]]) -> int | None:
    """The official count over a pool: each member's latest national figure, or
    its own received count where the hub gave none; None when no member has one
    (then the 1.4 denominator falls back to the portal's count)."""
    ids = [pk for pk, _kind in members]
    if not any(pk in inputs.national for pk in ids):
        return None
    return sum(
        inputs.national[pk]
        if pk in inputs.national
        else inputs.counts.get(pk, {}).get("received", 0)
        for pk in ids
    )


def score_units(
    inputs: Inputs,
    scope: Scope,
    *,
    national_totals: Mapping[int | None, int] | None = None,
    adjust: CountsAdjust | None = None,
    province: bool = True,
    forecast: bool = False,
) -> list[CriterionResult]:
    """Criterion results of every unit in ``scope`` and, with ``province``, of
    the pooled province (``agency_id=None``). ``national_totals`` overrides the
    official counts fetched from the hub (``inputs.national``). ``forecast``:
    open items judged at the period end instead of ``inputs.judged_at``."""
    order = {code: c.order for code, c in inputs.criteria.items()}
    targets: list[tuple[int | None, list[tuple[int, str]]]] = [
        (pk, scope.subtree(path)) for pk, path in scope.units
    ]
    if province:
        kinds = {pk: kind for _path, pk, kind in scope.paths}
        targets.append((PROVINCE, [(pk, kinds[pk]) for pk in scope.member_ids]))
    results: list[CriterionResult] = []
    for agency_id, members in targets:
        scorer = Scorer(inputs.criteria, agency_id)
        unit = unit_input(
            inputs,
            agency_id,
            members,
            national_total=(
                _national_total(inputs, members)
                if national_totals is None
                else national_totals.get(agency_id)
            ),
            adjust=adjust,
            forecast=forecast,
        )
        unit_results(scorer, unit, inputs.rule_set)
        results.extend(sorted(scorer.results, key=lambda r: order[r.code]))
    return results


def compute(
    period_start: datetime.date,
    period_end: datetime.date,
    agency_ids: Iterable[int] | None = None,
    *,
    national_totals: Mapping[int | None, int] | None = None,
    rule_set: IndexRuleSet | None = None,
    kind: str | None = None,
    progress: Progress | None = None,
    now: datetime.datetime | None = None,
) -> list[CriterionResult]:
    """Every criterion for each unit in ``agency_ids`` (each over its subtree;
    ``None``: every active unit) and for the province (``agency_id=None``),
    pooled over all their subtrees (the whole province when ``None``).

    ``national_totals``: dossiers counted by the national reporting system
    per unit (key None: province), the 1.4 denominator when known.
    ``now``: score an open period now (open items judged at ``now``), each
    result carrying the forecast at the period end; without it everything is
    judged at the period end.
    """
    scope = resolve_scope(None if agency_ids is None else list(agency_ids))
    inputs = gather(
        period_start, period_end, scope, rule_set=rule_set, kind=kind, now=now, progress=progress
    )
    return score_both(inputs, scope, national_totals=national_totals)


def score_both(inputs: Inputs, scope: Scope, **options) -> list[CriterionResult]:
    """The score now, each result carrying its forecast at the period end."""
    current = score_units(inputs, scope, **options)
    return merge_forecast(current, score_units(inputs, scope, forecast=True, **options))


def summarise(results: Iterable[CriterionResult], rule_set: IndexRuleSet) -> list[Summary]:
    """Group scores (sum of criterion scores), total and band per unit."""
    groups = list(rule_set.groups.order_by("order"))
    bands = [(b.lower_bound, b.label) for b in rule_set.bands.filter(group__isnull=True)]
    by_agency: dict[int | None, Summary] = {}
    for result in results:
        summary = by_agency.setdefault(
            result.agency_id,
            Summary(result.agency_id, {g.code: Decimal("0.00") for g in groups}),
        )
        summary.groups[result.group_code] = summary.groups.get(result.group_code, 0) + result.score
    decision_of = {g.code: g.decision_group for g in groups}
    for summary in by_agency.values():
        for code, points in summary.groups.items():
            number = decision_of.get(code, 0)
            summary.decision_groups[number] = summary.decision_groups.get(number, 0) + points
        summary.total = scoring.round2(sum(summary.groups.values(), Decimal(0)))
        summary.band = scoring.band_for(summary.total, bands)
    return list(by_agency.values())
