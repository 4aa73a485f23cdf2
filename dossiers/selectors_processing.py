"""Worklists of the resolving units: my steps, my agency's queue, due soon,
overdue — one indexed query over the open step rows, a fixed number of
queries whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.selectors import search_terms
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import agencies_for_user, agency_ids_by_perm

from .models import (
    DossierStep,
    NationalStatusMap,
    PaymentStatus,
    Status,
    StepKind,
    StepOutcome,
)
from .services.overdue import thresholds
from .workflow import TRANSITIONS

SCOPES = ("mine", "agency", "unassigned")


def _agency_ids(user, perm: str = "view_agency_records") -> list[int]:
    """The user's agency ids as literals: with the guardian subquery inlined,
    PostgreSQL misjudges the open-step scan (measured at 1M dossiers: p95 1.2 s
    → 0.3 s on the busiest unit's queue). One small query each."""
    return list(agencies_for_user(user, perm).values_list("pk", flat=True))


def _queue_agency_ids(user) -> tuple[list[int], list[int]]:
    """(the user's units, those among them where the user may answer a
    consultation) in one small query: a consultation is shown only to the
    specialists and heads of the consulted unit, never to its desk."""
    answering = agencies_for_user(user, "process_dossiers")
    rows = list(
        agencies_for_user(user, "view_agency_records")
        .annotate(answers=ExpressionWrapper(Q(pk__in=answering.values("pk")), BooleanField()))
        .values_list("pk", "answers")
    )
    return [pk for pk, _answers in rows], [pk for pk, answers in rows if answers]


BUCKETS = ("due_soon", "overdue", "in_time", "paused")
# What a worklist row shows. A dossier has about 80 columns: selecting the
# whole of the five joined rows made compiling and loading the page's query
# cost more than running it (measured at 1M dossiers, "my steps" page).
ROW_FIELDS = (
    "kind", "name", "role", "due_at", "paused", "dossier", "agency", "assignee",
    "agency__name", "agency__short_name",
    "assignee__full_name", "assignee__first_name", "assignee__last_name", "assignee__username",
    "dossier__code", "dossier__applicant_name", "dossier__due_at", "dossier__due_soon",
    "dossier__status", "dossier__apology_issued", "dossier__procedure_version",
    "dossier__procedure_version__name", "dossier__procedure_version__procedure",
    "dossier__procedure_version__procedure__code",
    "dossier__procedure_version__procedure__code_suffix",
)  # fmt: skip


def _open_steps() -> QuerySet[DossierStep]:
    return DossierStep.objects.filter(completed_at__isnull=True).select_related(
        "dossier__procedure_version__procedure", "agency", "assignee"
    )


def _mine_q(user) -> Q:
    """Steps assigned to the user, and unassigned steps the user's role takes
    from the unit's queue (heads' steps, the desk's steps, consultations)."""
    held = agency_ids_by_perm(user, ("approve_dossiers", "receive_dossiers", "process_dossiers"))
    heads, desks = held["approve_dossiers"], held["receive_dossiers"]
    specialists = held["process_dossiers"]
    unassigned = Q(assignee__isnull=True)
    return (
        Q(assignee=user)
        | (unassigned & Q(role=Role.DEPARTMENT_HEAD, agency__in=heads))
        | (unassigned & Q(role=Role.DESK_OFFICER, agency__in=desks))
        | (unassigned & Q(kind=StepKind.CONSULT, agency__in=specialists))
    )


def light_annotation(now: datetime) -> Case:
    """Traffic light: red overdue, amber due within the due-soon horizon, green
    otherwise; grey while the dossier waits for the citizen (clock paused).

    A step is never greener than its dossier: an open dossier past its
    appointment makes each of its steps red, one coming due makes them amber
    (the same rule as ``dossier_light``), whatever the step's own budget says.
    Read from the step row alone: it stores a copy of its running dossier's
    due instant (services.deadlines). ``due <= regular`` is the run-time form
    of the stored ``due_soon_at <= now`` (one rule, ``due_soon_hours``).
    """
    regular, _same_day = thresholds(now)
    return Case(
        When(paused=True, then=Value("paused")),
        When(Q(due_at__lte=now) | Q(dossier_due_at__lte=now), then=Value("overdue")),
        When(
            Q(due_soon_at__lte=now) | Q(due_at__lte=regular) | Q(dossier_due_at__lte=regular),
            then=Value("due_soon"),
        ),
        When(due_at__isnull=True, then=Value("none")),
        default=Value("in_time"),
        output_field=CharField(),
    )


def worklist(
    user,
    *,
    scope: str = "mine",
    bucket: str = "",
    agency: Agency | int | None = None,
    query: str = "",
    now: datetime | None = None,
) -> QuerySet[DossierStep]:
    """Open steps for ``user``, soonest due first, each with its ``light``."""
    now = now or timezone.now()
    steps = _open_steps().annotate(light=light_annotation(now))
    if scope == "agency":
        units, answering = _queue_agency_ids(user)
        steps = steps.filter(agency__in=units).filter(
            ~Q(kind=StepKind.CONSULT) | Q(agency__in=answering)
        )
    elif scope == "unassigned":
        steps = steps.filter(
            assignee__isnull=True,
            role=Role.SPECIALIST,
            kind=StepKind.WORKFLOW,
            agency__in=_agency_ids(user, "assign_dossiers"),
        )
    else:
        steps = steps.filter(_mine_q(user))
    if agency:
        steps = steps.filter(agency=agency)
    if bucket in BUCKETS:
        steps = steps.filter(light=bucket)
    code_or_words = query.strip()
    if code_or_words:
        _phrase, words = search_terms(code_or_words)
        by_words = Q()
        for word in words:
            by_words &= Q(dossier__procedure_version__search_text__contains=word)
        steps = steps.filter(Q(dossier__code__startswith=code_or_words[:64]) | by_words)
    return steps.only(*ROW_FIELDS).order_by("due_at", "pk")


@dataclass(frozen=True)
class WorklistSummary:
    total: int
    overdue: int
    due_soon: int
    paused: int
    unassigned: int
    signoffs: int  # head steps (review, approval, signing) waiting in this list


def worklist_summary(user, *, scope: str = "mine", now: datetime | None = None) -> WorklistSummary:
    """The badges above the list, in one aggregate."""
    now = now or timezone.now()
    counts = (
        worklist(user, scope=scope, now=now)
        .order_by()
        .aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(light="overdue")),
            due_soon=Count("pk", filter=Q(light="due_soon")),
            paused=Count("pk", filter=Q(light="paused")),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
            signoffs=Count("pk", filter=Q(role=Role.DEPARTMENT_HEAD, kind=StepKind.WORKFLOW)),
        )
    )
    return WorklistSummary(**counts)


def summary_count(summary: WorklistSummary, *, bucket: str = "") -> int | None:
    """The row count of an unfiltered (or bucket-only) list, already in the
    badges' aggregate: the paginator need not count the queue a second time."""
    if not bucket:
        return summary.total
    return {"overdue": summary.overdue, "due_soon": summary.due_soon,
            "paused": summary.paused}.get(bucket)  # fmt: skip


class CountedPaginator(Paginator):
    """A paginator told its count when the caller already has it."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # overrides the cached_property


def dossier_steps(dossier) -> QuerySet[DossierStep]:
    """The control sheet's rows, in handover order (form 06)."""
    return dossier.steps.select_related(
        "agency", "assignee", "handed_over_by", "completed_by"
    ).order_by("started_at", "pk")


def answered_consultations(user, *, query: str = "") -> QuerySet[DossierStep]:
    """The consultations the user's units answered, newest first: the record a
    consulted unit keeps (request and answer) once the dossier is closed to it.
    Only for its specialists and heads, as while it was open."""
    steps = DossierStep.objects.filter(
        kind=StepKind.CONSULT,
        outcome=StepOutcome.ANSWERED,
        agency__in=_agency_ids(user, "process_dossiers"),
    ).select_related(
        "dossier__procedure_version__procedure", "agency", "handed_over_by", "completed_by"
    )
    code = query.strip()
    if code:
        steps = steps.filter(dossier__code__startswith=code[:64])
    return steps.order_by("-completed_at", "-pk")


def closing_consequences(dossier, transition: str) -> list[str]:
    """What follows a decision that ends the dossier without a result (stop,
    not eligible), in the words the confirmation page shows before the head
    signs it. Each line is a fact of this dossier, read now."""
    notice = {
        "stop": _("Thông báo dừng giải quyết hồ sơ"),
        "reject": _("Thông báo hồ sơ không đủ điều kiện giải quyết"),
    }[transition]
    channels = [
        channel
        for channel, present in (
            (_("tin nhắn SMS tới %(phone)s") % {"phone": dossier.applicant_phone},
             bool(dossier.applicant_phone)),
            (_("thư điện tử tới %(email)s") % {"email": dossier.applicant_email},
             bool(dossier.applicant_email)),
            (_("trang “Hồ sơ của tôi”"), dossier.applicant_id is not None),
        )
        if present
    ]  # fmt: skip
    lines = [
        _("Công dân %(name)s nhận %(notice)s kèm lý do bạn ghi, qua: %(channels)s.")
        % {
            "name": dossier.applicant_name,
            "notice": notice,
            "channels": ", ".join(channels) or _("giấy tờ tại Bộ phận Một cửa"),
        }
    ]
    open_fees = dossier.payments.filter(status=PaymentStatus.REQUESTED).aggregate(
        total=Sum("amount_vnd")
    )["total"]
    if open_fees:
        lines.append(
            _("Yêu cầu thanh toán %(amount)s đồng chưa nộp bị hủy; khoản nộp sau đó được hoàn lại.")
            % {"amount": f"{open_fees:,}".replace(",", ".")}
        )
    else:
        lines.append(_("Không có khoản phí nào đang chờ thanh toán."))
    target = TRANSITIONS[transition].target
    national = (
        NationalStatusMap.objects.filter(status=target)
        .values_list("national_label", flat=True)
        .first()
    )
    lines.append(
        _("Trạng thái “%(status)s” được đồng bộ lên Cổng Dịch vụ công quốc gia.")
        % {"status": national or dict(Status.choices)[target]}
    )
    lines.append(
        _("Các bước đang xử lý được đóng, thời hạn ngừng tính; quyết định không thể hoàn tác.")
    )
    return lines
