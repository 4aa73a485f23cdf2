"""Per-dossier values of a period and the criteria's predicates over them.

One definition serves two readers:

* the engine fills a temporary table (``DossierRow``) with the raw values of
  every candidate dossier — each correlated sub-query evaluated once per
  dossier — and counts with the predicates below in one grouped aggregate;
* the drill-down and the predicted-loss list annotate ``Dossier`` querysets
  with the very same expressions and filter with the very same predicates,
  so a list always holds exactly the dossiers the counts say cost points.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
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
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Mod
from django.db.models.lookups import Exact, GreaterThan
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
from feedback.models import Feedback, Like, Rating
from procedures.models import FeeItem

from ..criteria import Code
from ..models import DueField, IndexRuleSet

STOP_STATUSES = (Status.STOPPED, Status.REJECTED, Status.WITHDRAWN)
CITIZEN_APPLICANTS = ("citizen", "foreigner")
NO_PAUSE = Value(datetime.timedelta(0), output_field=DurationField())


def flag(condition: Q) -> Case:
    """1 where the condition holds, else 0 (NULL comparisons count as "does not hold")."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


# What the national hub acknowledged of a dossier (integrations.DossierSync, written by the
# sender from the header the hub accepted; indicators-766.md §8). The criteria that read
# synced data (1.4, 3.3, 3.5, 3.5b, 3.6, 4.1, 4.4) count these, not the local records.
# They ride in the high bits of ``component_flags`` because the row table's columns are
# ``DossierRow``'s; one LEFT JOIN on the one-to-one ``sync`` reads all five.
SYNC_BITS: dict[str, tuple[int, Q]] = {
    "received_synced": (8, Q(sync__received_synced=True)),
    "fee_list_synced": (16, Q(sync__fee_list_synced=True)),
    "payment_synced": (32, Q(sync__payment_flag_synced__in=[1, 2])),
    "result_synced": (64, Q(sync__result_synced=True)),
    "store_synced": (128, Q(sync__store_component_synced=True)),
}


def sync_bits():
    """The acknowledged-sync bits of a dossier as one integer expression (no sync row: 0)."""
    expression = None
    for value, condition in SYNC_BITS.values():
        term = value * flag(condition)
        expression = term if expression is None else expression + term
    return expression


def candidate_filter(since: datetime.datetime, until: datetime.datetime) -> Q:
    """Dossiers that may matter for [since, until): received before its end and
    either received in it or not finished before it started. A superset of
    every criterion's denominator, on plain columns, so old finished dossiers
    never reach the per-dossier sub-queries."""
    return Q(received_at__lt=until) & (
        Q(received_at__gte=since)
        | Q(completed_at__gte=since)
        | (Q(completed_at__isnull=True) & (Q(returned_at__isnull=True) | Q(returned_at__gte=since)))
    )


def raw_annotations(
    since: datetime.datetime, until: datetime.datetime, rule_set: IndexRuleSet
) -> dict[str, Any]:
    """Per-dossier values (names = ``DossierRow`` columns) as ORM expressions."""
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
    stops = StatusHistory.objects.filter(
        dossier=OuterRef("pk"), to_status__in=STOP_STATUSES
    ).order_by()
    stopped = stops.values("dossier").annotate(t=Min("at")).values("t")[:1]
    if rule_set.due_field == DueField.CURRENT:
        due = F("due_at")
    else:
        due = Coalesce(F(DueField.ORIGINAL), F("due_at"))
    components = (
        DossierComponent.objects.filter(dossier=OuterRef("pk"))
        .order_by()
        .values("dossier")
        .annotate(
            # 4.2 counts a dossier with at least one component file attached through
            # any channel: uploaded online, scanned at the desk or taken from a data
            # store (indicators-766.md §3.5), not only the desk's "digitised" flag.
            f=Max(flag(~Q(file="")))
            + 2 * Max(flag(Q(is_reused=True)))
            + 4 * Max(flag(Q(from_personal_store=True)))
        )
        .values("f")[:1]
    )
    live_payments = (
        Payment.objects.filter(dossier=OuterRef("pk"))
        .exclude(status__in=[PaymentStatus.CANCELLED, PaymentStatus.FAILED])
        .order_by()
    )
    payments = (
        live_payments.values("dossier")
        .annotate(
            f=Value(1)
            + 2 * Max(flag(Q(amount_vnd__gt=0)))
            + 4 * Max(flag(Q(status=PaymentStatus.PAID, gateway_flag__in=[1, 2])))
        )
        .values("f")[:1]
    )
    citizen = Q()
    for kind in CITIZEN_APPLICANTS:
        citizen |= Q(procedure_version__applicant_types__icontains=kind)
    disliked = Rating.objects.filter(
        dossier=OuterRef("pk"), like=Like.DISLIKE, submitted_at__gte=since, submitted_at__lt=until
    )
    with_pakn = Feedback.objects.filter(
        dossier=OuterRef("pk"), received_at__gte=since, received_at__lt=until
    )

    def received_only(expression):
        """Values only the criteria on dossiers received in the period read (1.4,
        3.3–4.5b): carried-over dossiers skip their sub-queries and hold 0 / false."""
        is_bool = isinstance(expression, Exists)
        return Case(
            When(received_at__gte=since, then=expression),
            default=Value(False if is_bool else 0),
            output_field=BooleanField() if is_bool else IntegerField(),
        )

    return {
        "procedure_id": F("procedure_version__procedure_id"),
        "field_id": F("procedure_version__field_id"),
        # End-time priority (§2): processed > returned > stopped / rejected / withdrawn.
        # COALESCE stops at the first value, so the history is read only when needed;
        # then, as for supplements, one hashed look-up over the few stop entries
        # (index history_stop_dossier_at) spares the open dossiers a probe into
        # every history partition each (issue #14: 200,000 probes for the open month).
        "end_at": Coalesce(
            "completed_at",
            "returned_at",
            Case(
                When(Exists(stops), then=Subquery(stopped, output_field=DateTimeField())),
                default=None,
                output_field=DateTimeField(),
            ),
        ),
        "due": ExpressionWrapper(due, output_field=DateTimeField()),
        # Most dossiers have no supplement request: one hashed look-up decides
        # whether the per-dossier sub-queries run at all.
        # One rule per setting (indicators-766.md §3.2, "after subtracting supplement
        # time"): against the original appointment, the calendar time the dossier
        # waited for the citizen is added to it, as the national formula subtracts it
        # from the end time; the current appointment was already moved by the
        # lifecycle by the same pauses (in working time), so nothing is added again.
        "pause": Case(
            When(Exists(requests), then=Subquery(pause, output_field=DurationField())),
            default=None,
            output_field=DurationField(),
        )
        if rule_set.due_field == DueField.ORIGINAL
        # Typed NULL: the rows table is created from this query (a bare NULL is text).
        else Cast(Value(None), output_field=DurationField()),
        "n_requests": Case(
            When(Exists(requests), then=Subquery(n_requests, output_field=IntegerField())),
            default=Value(0),
            output_field=IntegerField(),
        ),
        "pending_at": Case(
            When(Exists(requests), then=Subquery(pending, output_field=DateTimeField())),
            default=None,
            output_field=DateTimeField(),
        ),
        "paper": ExpressionWrapper(
            Q(procedure_version__paper_result=True), output_field=BooleanField()
        ),
        "citizen": ExpressionWrapper(citizen, output_field=BooleanField()),
        "e_result": received_only(
            Exists(
                DossierDocument.objects.filter(
                    dossier=OuterRef("pk"), kind=DocumentKind.RESULT
                ).exclude(file="")
            )
        ),
        # Bits: 1 digitised, 2 reused, 4 from the personal store (one probe per dossier),
        # then from 8 up what the hub acknowledged (``SYNC_BITS``; see ``with_derived``).
        "component_flags": received_only(
            Coalesce(Subquery(components, output_field=IntegerField()), 0) + sync_bits()
        ),
        "pushed": received_only(
            Exists(PersonalDocument.objects.filter(source_dossier=OuterRef("pk"), is_result=True))
        ),
        "fee_bearing": received_only(
            Exists(FeeItem.objects.filter(version=OuterRef("procedure_version"), amount_vnd__gt=0))
        ),
        # Bits over live payments: 1 any, 2 a non-zero fee list, 4 paid online (flag 1 or 2).
        # Most dossiers pay nothing: a hashed look-up over the live payments first.
        "payment_flags": received_only(
            Case(
                When(Exists(live_payments), then=Subquery(payments, output_field=IntegerField())),
                default=Value(0),
                output_field=IntegerField(),
            )
        ),
        # 5.4: a "dislike" or a PAKN about the dossier during the period
        # (feedback.selectors.dossiers_with_dislike_or_pakn, per dossier).
        "marked": ExpressionWrapper(
            Q(Exists(disliked)) | Q(Exists(with_pakn)), output_field=BooleanField()
        ),
    }


def _bit(column: str, value: int) -> Exact:
    return Exact(Mod(F(column) / value, 2), 1)


def on_time_case(judged_at: datetime.datetime) -> Case:
    """Criterion 2.1 for one dossier, judged at ``judged_at``: the period end
    for a closed period and for the forecast, the current time (at most the
    period end) for the score of an open period now."""
    return Case(
        # More than one supplement request: late whatever the dates.
        When(n_requests__gt=1, then=Value(0)),
        When(due__isnull=True, then=Value(1)),
        # Waiting for the citizen: the request time is the end time.
        When(pending_at__isnull=False, pending_at__lte=F("deadline"), then=Value(1)),
        When(pending_at__isnull=False, then=Value(0)),
        When(end_at__lt=judged_at, end_at__lte=F("deadline"), then=Value(1)),
        When(end_at__lt=judged_at, then=Value(0)),
        # Still open when judged: within deadline if not yet due then.
        When(deadline__gte=judged_at, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def with_derived(
    rows: QuerySet, until: datetime.datetime, judged_at: datetime.datetime | None = None
) -> QuerySet:
    """Add the component and payment flags, ``deadline`` (due + completed
    supplement pauses), ``on_time`` (criterion 2.1 judged at ``judged_at``,
    default the period end: the score now) and ``on_time_end`` (judged at the
    period end: the forecast if nothing changes) to rows with the raw values."""
    judged_at = until if judged_at is None else min(judged_at, until)
    rows = rows.annotate(
        digitised=_bit("component_flags", 1),
        reused=_bit("component_flags", 2),
        from_store=_bit("component_flags", 4),
        **{name: _bit("component_flags", value) for name, (value, _q) in SYNC_BITS.items()},
        has_payment=GreaterThan(F("payment_flags"), 0),
        nonzero_payment=_bit("payment_flags", 2),
        paid_online=_bit("payment_flags", 4),
        deadline=ExpressionWrapper(
            F("due") + Coalesce(F("pause"), NO_PAUSE), output_field=DateTimeField()
        ),
    )
    if judged_at == until:
        rows = rows.annotate(on_time=on_time_case(until))
        return rows.annotate(on_time_end=F("on_time"))
    return rows.annotate(on_time=on_time_case(judged_at), on_time_end=on_time_case(until))


def annotated_dossiers(
    queryset: QuerySet[Dossier],
    since: datetime.datetime,
    until: datetime.datetime,
    rule_set: IndexRuleSet,
    judged_at: datetime.datetime | None = None,
) -> QuerySet[Dossier]:
    """``Dossier`` rows with the same values the engine's table holds (for lists)."""
    rows = queryset.filter(candidate_filter(since, until)).annotate(
        **raw_annotations(since, until, rule_set)
    )
    return with_derived(rows, until, judged_at)


# --- the criteria over those values --------------------------------------------------------


@dataclass(frozen=True)
class DossierCriterion:
    """Denominator and numerator of a dossier-based criterion; ``reasons`` say,
    first match wins, why a dossier of the denominator is not in the numerator."""

    code: str
    denominator: Q
    numerator: Q
    reasons: tuple[tuple[Q, Promise], ...]


def in_period_scope(since: datetime.datetime) -> Q:
    """2.1 / 5.4 scope: received in the period, plus carried-over open dossiers."""
    return Q(received_at__gte=since) | Q(end_at__isnull=True) | Q(end_at__gte=since)


def dossier_criteria(
    since: datetime.datetime,
    until: datetime.datetime,
    rule_set: IndexRuleSet,
    judged_at: datetime.datetime | None = None,
) -> dict[str, DossierCriterion]:
    """The dossier criteria over rows whose ``on_time`` was judged at
    ``judged_at`` (default: the period end), with reasons worded to match."""
    judged = until if judged_at is None else min(judged_at, until)
    overdue = (
        _("Chưa giải quyết xong, đã quá hạn tại thời điểm cuối kỳ")
        if judged == until
        else _("Chưa giải quyết xong, đã quá hạn tại thời điểm tính")
    )
    received = Q(received_at__gte=since)
    in_21 = in_period_scope(since)
    late = Q(on_time=0)
    e_ok = Q(paper=False) | Q(e_result=True)
    stopped = Q(status__in=STOP_STATUSES)
    finished = Q(completed_at__lt=until) | Q(returned_at__lt=until)
    # 4.1: paper-result dossiers, finished (or, if configured, also open); never stopped.
    d41 = (
        received & Q(paper=True) & ~stopped & (Q() if rule_set.e_result_include_open else finished)
    )
    # 3.6: fee-bearing, minus dossiers whose fee list is all zero.
    d36 = received & Q(fee_bearing=True) & ~(Q(has_payment=True) & Q(nonzero_payment=False))
    no_e_result = Q(paper=True, e_result=False)
    # The hub counts an e-result only once it holds the result code and a download link.
    synced_result = Q(paper=False) | Q(result_synced=True)
    unsynced_result = _("Có tệp kết quả điện tử nhưng chưa đồng bộ mã và đường dẫn lên Cổng DVCQG")
    criteria = [
        DossierCriterion(
            Code.DOSSIER_SYNC,
            received,
            Q(received_synced=True),
            ((Q(), _("Chưa đồng bộ lên Cổng Dịch vụ công quốc gia")),),
        ),
        DossierCriterion(
            Code.ON_TIME,
            in_21,
            Q(on_time=1),
            (
                (Q(n_requests__gt=1), _("Yêu cầu bổ sung hồ sơ nhiều hơn một lần")),
                (Q(pending_at__isnull=False), _("Yêu cầu bổ sung sau khi đã quá hạn")),
                (Q(end_at__lt=judged), _("Kết thúc xử lý sau ngày hẹn trả")),
                (Q(), overdue),
            ),
        ),
        DossierCriterion(
            Code.ONLINE_SHARE,
            received,
            Q(channel=2) & synced_result,
            (
                (~Q(channel=2), _("Không nộp trực tuyến")),
                (Q(e_result=True), unsynced_result),
                (Q(), _("Nộp trực tuyến nhưng kết quả giấy chưa có bản điện tử")),
            ),
        ),
        DossierCriterion(
            Code.PAID_ONLINE_DOSSIERS,
            d36,
            Q(payment_synced=True),
            (
                (
                    Q(paid_online=True),
                    _("Đã thanh toán trực tuyến nhưng chưa đồng bộ lên Cổng DVCQG"),
                ),
                (Q(), _("Chưa thanh toán trực tuyến")),
            ),
        ),
        DossierCriterion(
            Code.E_RESULT,
            d41,
            Q(result_synced=True),
            ((Q(e_result=True), unsynced_result), (Q(), _("Chưa có tệp kết quả điện tử"))),
        ),
        DossierCriterion(
            Code.DIGITISED,
            received,
            Q(digitised=True) & e_ok,
            (
                (Q(digitised=False), _("Chưa số hóa thành phần hồ sơ")),
                (no_e_result, _("Chưa có tệp kết quả điện tử")),
            ),
        ),
        DossierCriterion(
            Code.REUSED_DATA,
            received,
            Q(reused=True),
            ((Q(), _("Không tái sử dụng dữ liệu đã số hóa")),),
        ),
        DossierCriterion(
            Code.PERSONAL_STORE,
            received,
            Q(store_synced=True) | Q(pushed=True),
            (
                (
                    Q(from_store=True),
                    _("Thành phần lấy từ kho dữ liệu chưa được đồng bộ lên Cổng DVCQG"),
                ),
                (Q(), _("Không lấy giấy tờ từ, không đẩy kết quả vào kho dữ liệu cá nhân")),
            ),
        ),
        DossierCriterion(
            Code.POPULATION_DOSSIERS,
            received,
            Q(vneid_verified=True) | Q(population_db_used=True) | Q(from_store=True),
            ((Q(), _("Không khai thác dữ liệu dân cư (VNeID, CSDL dân cư)")),),
        ),
        DossierCriterion(
            Code.RECEIVING_SATISFACTION,
            in_21,
            Q(on_time=1) & Q(marked=False),
            (
                (late & Q(marked=True), _("Trễ hạn và bị đánh giá không hài lòng hoặc có PAKN")),
                (late, _("Trễ hạn")),
                (Q(), _("Bị đánh giá không hài lòng hoặc có PAKN")),
            ),
        ),
    ]
    return {c.code: c for c in criteria}


def reason_expression(criterion: DossierCriterion) -> Case:
    """The first matching reason, as a SQL CASE (text in the active language)."""
    whens, default = [], ""
    for condition, text in criterion.reasons:
        if not condition:  # Q(): every remaining row
            default = str(text)
            break
        whens.append(When(condition, then=Value(str(text))))
    return Case(*whens, default=Value(default))


def key(code: str) -> str:
    """ "2.1" → "2_1": a safe SQL alias."""
    return code.replace(".", "_")
