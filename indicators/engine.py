"""Local prediction of the Decision 766 criteria (indicators-766.md §2-§4).

Everything per dossier happens in SQL: one grouped aggregate over the dossiers
(by receiving unit), one over (unit, procedure) pairs for 4.5a, one for the
1.4 fallback volume, and the PAKN criteria from ``feedback.selectors``.
Python only adds the per-unit counts into each requested subtree and the
province (pooled numerators and denominators, never an average of scores),
then divides and rounds through ``scoring``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dossiers.models import (
    DocumentKind,
    Dossier,
    DossierComponent,
    DossierDocument,
    Payment,
    PaymentStatus,
    PersonalDocument,
    Status,
    StatusHistory,
    SupplementRequest,
    SupplementStage,
)
from feedback.selectors import dossiers_with_dislike_or_pakn, pakn_criteria, period_bounds
from procedures.models import FeeItem
from tthc_portal.agencies.models import Agency

from . import scoring
from .models import Criterion, DueField, IndexRuleSet, IndicatorResult

# Values of ``Dossier.sync_status`` that mean "accepted by DVCQG" (configurable here).
SYNCED_STATUSES = ("synced",)
FINISHED_STATUSES = (Status.RESULT_READY, Status.RETURNED, Status.ARCHIVED)
STOP_STATUSES = (Status.STOPPED, Status.REJECTED, Status.WITHDRAWN)
CITIZEN_APPLICANTS = ("citizen", "foreigner")
PROVINCE = None  # agency key of the pooled province row

NOT_OBSERVABLE = "Cổng không tự quan sát được: dùng giá trị của Cổng DVCQG hoặc tỷ lệ cấu hình."


@dataclass
class CriterionResult:
    agency_id: int | None  # None: the province (pooled)
    code: str
    numerator: Decimal
    denominator: Decimal
    ratio: Decimal
    score: Decimal
    max_points: Decimal
    observable: bool = True
    note: str = ""
    group_code: str = ""


@dataclass
class Summary:
    agency_id: int | None
    groups: dict[str, Decimal] = field(default_factory=dict)
    # The Decision's five groups (display "five_groups"): groups with the same number added.
    decision_groups: dict[int, Decimal] = field(default_factory=dict)
    total: Decimal = Decimal("0.00")
    band: str = ""


# --- per-dossier expressions ---------------------------------------------------------------


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _annotated(ids: list[int], since, until, rule_set: IndexRuleSet):
    requests = SupplementRequest.objects.filter(
        dossier=OuterRef("pk"),
        stage=SupplementStage.DURING_PROCESSING,
        requested_at__lt=until,
    ).order_by()
    n_requests = requests.values("dossier").annotate(n=Count("pk")).values("n")[:1]
    pause = (
        requests.filter(completed_at__lt=until)
        .values("dossier")
        .annotate(
            d=Sum(
                ExpressionWrapper(
                    F("completed_at") - F("requested_at"), output_field=DurationField()
                )
            )
        )
        .values("d")[:1]
    )
    pending = (
        requests.filter(Q(completed_at__isnull=True) | Q(completed_at__gte=until))
        .values("dossier")
        .annotate(t=Min("requested_at"))
        .values("t")[:1]
    )
    stopped = (
        StatusHistory.objects.filter(dossier=OuterRef("pk"), to_status__in=STOP_STATUSES)
        .order_by()
        .values("dossier")
        .annotate(t=Min("at"))
        .values("t")[:1]
    )
    due = rule_set.due_field
    due_expr = F(due) if due == DueField.CURRENT else Coalesce(F(DueField.ORIGINAL), F("due_at"))
    components = DossierComponent.objects.filter(dossier=OuterRef("pk"))
    payments = Payment.objects.filter(dossier=OuterRef("pk")).exclude(
        status__in=[PaymentStatus.CANCELLED, PaymentStatus.FAILED]
    )
    return (
        Dossier.objects.filter(receiving_agency_id__in=ids, received_at__lt=until)
        .annotate(
            end_at=Coalesce(
                "completed_at",
                "returned_at",
                Subquery(stopped, output_field=DateTimeField()),
            ),
            n_requests=Coalesce(Subquery(n_requests, output_field=IntegerField()), 0),
            pending_at=Subquery(pending, output_field=DateTimeField()),
            due=due_expr,
            deadline=ExpressionWrapper(
                due_expr
                + Coalesce(
                    Subquery(pause, output_field=DurationField()),
                    Value(datetime.timedelta(0), output_field=DurationField()),
                ),
                output_field=DateTimeField(),
            ),
            e_result=Exists(
                DossierDocument.objects.filter(
                    dossier=OuterRef("pk"), kind=DocumentKind.RESULT
                ).exclude(file="")
            ),
            digitised=Exists(components.filter(is_digitised=True)),
            reused=Exists(components.filter(is_reused=True)),
            from_store=Exists(components.filter(from_personal_store=True)),
            pushed=Exists(
                PersonalDocument.objects.filter(source_dossier=OuterRef("pk"), is_result=True)
            ),
            fee_bearing=Exists(
                FeeItem.objects.filter(version=OuterRef("procedure_version"), amount_vnd__gt=0)
            ),
            has_payment=Exists(payments),
            nonzero_payment=Exists(payments.filter(amount_vnd__gt=0)),
            paid_online=Exists(payments.filter(status=PaymentStatus.PAID, gateway_flag__in=[1, 2])),
        )
        .annotate(
            on_time=Case(
                When(n_requests__gt=1, then=Value(0)),
                When(due__isnull=True, then=Value(1)),
                When(pending_at__isnull=False, pending_at__lte=F("deadline"), then=Value(1)),
                When(pending_at__isnull=False, then=Value(0)),
                When(end_at__lt=until, end_at__lte=F("deadline"), then=Value(1)),
                When(end_at__lt=until, then=Value(0)),
                When(deadline__gte=until, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )


def _dossier_counts(ids: list[int], start, end, rule_set: IndexRuleSet) -> dict[int, dict]:
    since, until = period_bounds(start, end)
    received = Q(received_at__gte=since)
    in_21 = received | Q(end_at__isnull=True) | Q(end_at__gte=since)
    paper = Q(procedure_version__paper_result=True)
    e_ok = ~paper | Q(e_result=True)
    stopped = Q(status__in=STOP_STATUSES)
    finished = Q(completed_at__lt=until) | Q(returned_at__lt=until)
    # 4.1: paper-result dossiers, finished (or, if configured, also open); never stopped.
    denominator_41 = (
        received & paper & ~stopped & (Q() if rule_set.e_result_include_open else finished)
    )
    marked = Q(pk__in=dossiers_with_dislike_or_pakn(ids, start, end))
    fee_dossier = received & Q(fee_bearing=True) & ~(Q(has_payment=True) & Q(nonzero_payment=False))
    counts = {
        "received": Count("pk", filter=received),
        "synced": Count("pk", filter=received & Q(sync_status__in=SYNCED_STATUSES)),
        "d21": Count("pk", filter=in_21),
        "n21": Count("pk", filter=in_21 & Q(on_time=1)),
        "marked": Count("pk", filter=in_21 & marked),
        "marked_late": Count("pk", filter=in_21 & marked & Q(on_time=0)),
        "n33": Count("pk", filter=received & Q(channel=2) & e_ok),
        "d36": Count("pk", filter=fee_dossier),
        "n36": Count("pk", filter=fee_dossier & Q(paid_online=True)),
        "d41": Count("pk", filter=denominator_41),
        "n41": Count("pk", filter=denominator_41 & Q(e_result=True)),
        "n42": Count("pk", filter=received & Q(digitised=True) & e_ok),
        "n43": Count("pk", filter=received & Q(reused=True)),
        "n44": Count("pk", filter=received & (Q(from_store=True) | Q(pushed=True))),
        "n45b": Count(
            "pk",
            filter=received
            & (Q(vneid_verified=True) | Q(population_db_used=True) | Q(from_store=True)),
        ),
    }
    rows = (
        _annotated(ids, since, until, rule_set)
        .values("receiving_agency_id")
        .annotate(**counts)
        .order_by()
    )
    return {row.pop("receiving_agency_id"): row for row in rows}


def _procedure_pairs(ids: list[int], start, end) -> list[tuple[int, int, int]]:
    """4.5a: (unit, citizen procedure, used population data 0/1) for the period."""
    since, until = period_bounds(start, end)
    citizens = Q()
    for kind in CITIZEN_APPLICANTS:
        citizens |= Q(procedure_version__applicant_types__icontains=kind)
    used = (
        Q(vneid_verified=True)
        | Q(population_db_used=True)
        | Q(components__from_personal_store=True)
    )
    rows = (
        Dossier.objects.filter(
            citizens, receiving_agency_id__in=ids, received_at__gte=since, received_at__lt=until
        )
        .values("receiving_agency_id", "procedure_version__procedure_id")
        .annotate(used=Max(_flag(used)))
        .order_by()
    )
    return [
        (r["receiving_agency_id"], r["procedure_version__procedure_id"], r["used"]) for r in rows
    ]


def _last_year_volume(ids: list[int], start) -> dict[int, int]:
    tz = timezone.get_current_timezone()
    since = datetime.datetime(start.year - 1, 1, 1, tzinfo=tz)
    until = datetime.datetime(start.year, 1, 1, tzinfo=tz)
    rows = (
        Dossier.objects.filter(
            receiving_agency_id__in=ids, received_at__gte=since, received_at__lt=until
        )
        .values("receiving_agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["receiving_agency_id"]: r["n"] for r in rows}


# --- assembling ---------------------------------------------------------------------------


def _periods_per_year(start: datetime.date, end: datetime.date) -> int:
    days = (end - start).days + 1
    return 12 if days <= 31 else 4 if days <= 92 else 1


def _pool(rows: Mapping[int, dict], ids: Iterable[int]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for agency_id in ids:
        for key, value in rows.get(agency_id, {}).items():
            total[key] += value
    return total


class _Scorer:
    def __init__(self, criteria: dict[str, Criterion], agency_id: int | None):
        self.criteria = criteria
        self.agency_id = agency_id
        self.results: list[CriterionResult] = []

    def add(self, code, numerator, denominator, *, note="", fraction=None):
        criterion = self.criteria.get(code)
        if criterion is None:
            return
        if fraction is None:
            ratio, points = scoring.score(criterion.rule, numerator, denominator)
        elif Decimal(denominator) <= 0:
            ratio, points = scoring.score(criterion.rule, 0, 0)
        else:
            ratio, points = scoring.score_fraction(criterion.rule, fraction)
        self.results.append(
            CriterionResult(
                self.agency_id,
                code,
                Decimal(numerator),
                Decimal(denominator),
                ratio,
                points,
                criterion.max_points,
                True,
                note,
                criterion.group.code,
            )
        )

    def unobservable(self, code):
        criterion = self.criteria.get(code)
        if criterion is None:
            return
        if criterion.fallback_ratio is None:
            ratio, points = Decimal("0.00"), Decimal("0.00")
        else:
            ratio, points = scoring.score_fraction(criterion.rule, criterion.fallback_ratio / 100)
        self.results.append(
            CriterionResult(
                self.agency_id,
                code,
                Decimal(0),
                Decimal(0),
                ratio,
                points,
                criterion.max_points,
                False,
                NOT_OBSERVABLE,
                criterion.group.code,
            )
        )


def _unit_results(
    scorer: _Scorer,
    c: Mapping[str, int],
    procedures: list[tuple[int, int]],
    last_year: int,
    periods: int,
    national_total: int | None,
    pakn,
    rule_set: IndexRuleSet,
) -> None:
    received = c.get("received", 0)
    # 1.4: synced / max(national reporting total, synced); no volume → last year's.
    synced = c.get("synced", 0)
    note_14 = "" if national_total is not None else "Mẫu số: số hồ sơ cổng tự ghi nhận."
    d14: Decimal = Decimal(max(national_total if national_total is not None else received, synced))
    if d14 == 0 and last_year:
        d14 = (Decimal(last_year) / periods).quantize(Decimal("0.01"))
        note_14 = "Mẫu số: bình quân năm trước."
    scorer.add("1.4", synced, d14, note=note_14)
    scorer.add("2.1", c.get("n21", 0), c.get("d21", 0))
    # 3.3: online share × the 1.4 sync ratio.
    if d14 > 0:
        sync_ratio, note_33 = Decimal(synced) / d14, ""
    else:
        sync_ratio, note_33 = Decimal(1), "Không tính được 1.4: hệ số đồng bộ = 1."
    n33 = c.get("n33", 0)
    fraction = Decimal(n33) / received * sync_ratio if received else Decimal(0)
    scorer.add("3.3", n33, received, fraction=fraction, note=note_33)
    scorer.add("3.6", c.get("n36", 0), c.get("d36", 0))
    scorer.add("4.1", c.get("n41", 0), c.get("d41", 0))
    scorer.add("4.2", c.get("n42", 0), received)
    scorer.add("4.3", c.get("n43", 0), received)
    scorer.add("4.4", c.get("n44", 0), received)
    used = {p for p, flag in procedures if flag}
    scorer.add("4.5a", len(used), len({p for p, _ in procedures}))
    scorer.add("4.5b", c.get("n45b", 0), received)
    scorer.add("5.1", pakn.by_subject.get("regulation", 0), pakn.received)
    scorer.add("5.2", pakn.c52.numerator, pakn.c52.denominator)
    scorer.add("5.3", pakn.c53.numerator, pakn.c53.denominator)
    d21, late = c.get("d21", 0), c.get("d21", 0) - c.get("n21", 0)
    marked = c.get("marked", 0)
    if rule_set.dedupe_late_and_disliked:
        marked -= c.get("marked_late", 0)
    scorer.add(
        "5.4",
        max(0, d21 - late - marked),
        d21,
        note=f"Trễ hạn {late}, không hài lòng hoặc có PAKN {marked}",
    )
    for code in ("1.1", "1.2", "1.3", "2.2", "3.1", "3.2", "3.5", "3.5b", "4.6"):
        scorer.unobservable(code)


def compute(
    period_start: datetime.date,
    period_end: datetime.date,
    agency_ids: Iterable[int] | None = None,
    *,
    national_totals: Mapping[int | None, int] | None = None,
) -> list[CriterionResult]:
    """Every criterion for each unit in ``agency_ids`` (each over its subtree)
    and for the province (``agency_id=None``), pooled over all their subtrees.

    ``national_totals``: dossiers counted by the national reporting system
    per unit (key None: province), the 1.4 denominator when known.
    """
    rule_set = IndexRuleSet.in_force(period_start)
    criteria = {
        c.code: c for c in Criterion.objects.filter(rule_set=rule_set).select_related("group")
    }
    if agency_ids is None:
        units = list(Agency.objects.filter(parent__isnull=True).values_list("pk", "path"))
    else:
        units = list(Agency.objects.filter(pk__in=list(agency_ids)).values_list("pk", "path"))
    scope = Q(pk__in=[])
    for _, path in units:
        scope |= Q(path__startswith=path)
    everything = list(Agency.objects.filter(scope).values_list("pk", "path"))
    all_ids = [pk for pk, _ in everything]
    subtree = {
        unit: [pk for pk, path in everything if path.startswith(unit_path)]
        for unit, unit_path in units
    }

    counts = _dossier_counts(all_ids, period_start, period_end, rule_set)
    pairs = _procedure_pairs(all_ids, period_start, period_end)
    last_year = _last_year_volume(all_ids, period_start)
    periods = _periods_per_year(period_start, period_end)
    national_totals = national_totals or {}

    results: list[CriterionResult] = []
    targets = [(unit, subtree[unit]) for unit, _ in units] + [(PROVINCE, all_ids)]
    for agency_id, ids in targets:
        members = set(ids)
        scorer = _Scorer(criteria, agency_id)
        _unit_results(
            scorer,
            _pool(counts, ids),
            list({(p, u) for a, p, u in pairs if a in members}),
            sum(last_year.get(a, 0) for a in ids),
            periods,
            national_totals.get(agency_id),
            pakn_criteria(ids, period_start, period_end),
            rule_set,
        )
        results.extend(sorted(scorer.results, key=lambda r: criteria[r.code].order))
    return results


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
            key = decision_of.get(code, 0)
            summary.decision_groups[key] = summary.decision_groups.get(key, 0) + points
        summary.total = scoring.round2(sum(summary.groups.values(), Decimal(0)))
        summary.band = scoring.band_for(summary.total, bands)
    return list(by_agency.values())


def store(
    results: Iterable[CriterionResult],
    period_start: datetime.date,
    period_end: datetime.date,
    rule_set: IndexRuleSet | None = None,
) -> int:
    """Replace the stored results of the same period and units (recompute = replace)."""
    results = list(results)
    rule_set = rule_set or IndexRuleSet.in_force(period_start)
    agencies = {r.agency_id for r in results}
    now = timezone.now()
    with transaction.atomic():
        existing = IndicatorResult.objects.filter(period_start=period_start, period_end=period_end)
        units = [a for a in agencies if a is not None]
        existing.filter(
            Q(agency_id__in=units) | (Q(agency__isnull=True) if None in agencies else Q(pk__in=[]))
        ).delete()
        IndicatorResult.objects.bulk_create(
            IndicatorResult(
                rule_set=rule_set,
                period_start=period_start,
                period_end=period_end,
                agency_id=r.agency_id,
                criterion_code=r.code,
                numerator=r.numerator,
                denominator=r.denominator,
                ratio=r.ratio,
                score=r.score,
                max_points=r.max_points,
                observable=r.observable,
                note=r.note[:255],
                computed_at=now,
            )
            for r in results
        )
    return len(results)
