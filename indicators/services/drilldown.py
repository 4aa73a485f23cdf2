"""Which dossiers, procedures or PAKN cost a unit its points on one criterion.

Every list is built from the engine's own definitions — the per-dossier
values and predicates of ``engine.rows``, the catalogue sets of
``engine.catalogue``, the PAKN flags of ``engine.pakn`` — so its length is
the gap between the criterion's denominator and numerator (for 5.4 without
de-duplication, a dossier both late and disliked costs twice and is listed
once, with both reasons). Querysets are returned unevaluated: paginate them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.models import Dossier
from feedback.selectors import pakn_late_q, period_bounds
from tthc_portal.agencies.models import Agency

from ..criteria import (
    DOSSIER,
    FEEDBACK,
    NONE,
    PROCEDURE,
    PUBLICATION_ITEM,
    SPECS,
    Code,
)
from ..engine.catalogue import (
    PARTS,
    PROVINCIAL_LEVELS,
    complete_q,
    criterion_11,
    criterion_12,
    decision_items,
    fee_bearing_q,
    procedures_in_authority,
)
from ..engine.pakn import judged, received_53, scope_52
from ..engine.rows import (
    SYNC_BITS,
    annotated_dossiers,
    dossier_criteria,
    flag,
    reason_expression,
)
from ..models import Criterion, ReportPeriod
from . import IndicatorError
from .frozen import frozen_queryset

# What a drill-down row names: the unit and person holding the dossier (the
# current step's), the specialist, the PAKN's handling unit and who answered it.
DOSSIER_RELATED = (
    "procedure_version",
    "receiving_agency",
    "current_step__agency",
    "current_step__assignee",
    "assigned_specialist",
)
FEEDBACK_RELATED = ("agency", "answered_by")
PROCEDURE_REASONS = {
    Code.ONLINE_SERVICES: gettext_lazy("Chưa cung cấp dịch vụ công trực tuyến"),
    Code.ONLINE_SERVICES_USED: gettext_lazy("Không phát sinh hồ sơ trực tuyến trong kỳ"),
    Code.FEE_LIST_SYNCED: gettext_lazy(
        "Không có hồ sơ trong kỳ đồng bộ danh sách phí, lệ phí khác 0"
    ),
    Code.PAID_ONLINE_PROCEDURES: gettext_lazy("Không có giao dịch thanh toán trực tuyến trong kỳ"),
    Code.POPULATION_PROCEDURES: gettext_lazy("Không hồ sơ nào trong kỳ khai thác dữ liệu dân cư"),
}


@dataclass
class CriterionCases:
    """``queryset`` rows carry ``reason`` (Vietnamese text). ``kind`` says what
    they are: dossiers.Dossier, procedures.Procedure, procedures.PublicationItem,
    feedback.Feedback, or nothing for criteria without a list (2.2, 4.6, 5.1)."""

    period: ReportPeriod
    agency: Agency | None
    criterion: Criterion
    kind: str
    queryset: QuerySet
    description: str


def _subtree_ids(agency: Agency | None) -> QuerySet | None:
    if agency is None:
        return None
    return Agency.objects.filter(path__startswith=agency.path).values("pk")


def _dossiers_of(agency: Agency | None) -> QuerySet[Dossier]:
    dossiers = Dossier.objects.all()
    if agency is not None:
        dossiers = dossiers.filter(receiving_agency__path__startswith=agency.path)
    return dossiers


def judged_at_for(period: ReportPeriod, now: datetime.datetime | None = None):
    """When a live list judges open items: now (capped at the period end by the
    engine) while the period is open, the period end once published."""
    return None if period.is_published else (now or timezone.now())


def dossier_cases(
    period: ReportPeriod,
    agency: Agency | None,
    code: str,
    judged_at: datetime.datetime | None = None,
) -> QuerySet[Dossier]:
    """Dossiers failing ``code``, open ones judged at ``judged_at`` (default:
    the period end)."""
    since, until = period_bounds(period.start, period.end)
    criterion = dossier_criteria(since, until, period.rule_set, judged_at)[code]
    return (
        annotated_dossiers(_dossiers_of(agency), since, until, period.rule_set, judged_at)
        .filter(criterion.denominator)
        .annotate(passes=flag(criterion.numerator))
        .filter(passes=0)
        .annotate(reason=reason_expression(criterion))
        .select_related(*DOSSIER_RELATED)
        .order_by("received_at", "pk")
    )


def _period_dossiers(period: ReportPeriod, agency: Agency | None, condition: Q) -> Exists:
    """Dossiers of the procedure received in the period by the unit's subtree."""
    since, until = period_bounds(period.start, period.end)
    dossiers = _dossiers_of(agency).filter(
        condition,
        procedure_version__procedure=OuterRef("pk"),
        received_at__gte=since,
        received_at__lt=until,
    )
    return Exists(dossiers)


def procedure_cases(period: ReportPeriod, agency: Agency | None, code: str) -> QuerySet:
    from procedures.models import Procedure

    day = period.end
    if code == Code.POPULATION_PROCEDURES:
        citizen = Q(procedure_version__applicant_types__icontains="citizen") | Q(
            procedure_version__applicant_types__icontains="foreigner"
        )
        used = (
            Q(vneid_verified=True)
            | Q(population_db_used=True)
            | Q(components__from_personal_store=True)
        )
        procedures = Procedure.objects.filter(_period_dossiers(period, agency, citizen)).exclude(
            _period_dossiers(period, agency, used)
        )
        reason = PROCEDURE_REASONS[Code.POPULATION_PROCEDURES]
    elif code == Code.ONLINE_SERVICES:
        procedures = procedures_in_authority(day, agency).filter(
            current_version__online_level="none"
        )
        reason = PROCEDURE_REASONS[Code.ONLINE_SERVICES]
    elif code == Code.ONLINE_SERVICES_USED:
        procedures = (
            procedures_in_authority(day, agency)
            .exclude(current_version__online_level="none")
            .exclude(_period_dossiers(period, agency, Q(channel=2)))
        )
        reason = PROCEDURE_REASONS[Code.ONLINE_SERVICES_USED]
    else:
        procedures = procedures_in_authority(day, agency).filter(fee_bearing_q())
        if agency is None:
            procedures = procedures.filter(current_version__level__in=PROVINCIAL_LEVELS)
        # As the engine counts them: what the hub acknowledged (rows.SYNC_BITS).
        if code == Code.FEE_LIST_SYNCED:
            listed = SYNC_BITS["fee_list_synced"][1]
            reason = PROCEDURE_REASONS[Code.FEE_LIST_SYNCED]
        else:
            listed = SYNC_BITS["payment_synced"][1]
            reason = PROCEDURE_REASONS[Code.PAID_ONLINE_PROCEDURES]
        procedures = procedures.exclude(_period_dossiers(period, agency, listed))
    return (
        procedures.annotate(reason=Value(str(reason)))
        .select_related("current_version__implementing_agency")
        .order_by("code", "pk")
    )


def publication_cases(period: ReportPeriod, code: str) -> QuerySet:
    from procedures.models import PublicationItem

    if code == Code.PUBLISH_ON_TIME:
        _ratio, late = criterion_11(period.start, period.end)
        items = decision_items(period.start, period.end).filter(pk__in=late)
        reason = _("Quyết định công bố ký sau hạn (trước ngày có hiệu lực của văn bản)")
    else:
        _ratio, late = criterion_12(period.start, period.end, period.rule_set)
        items = PublicationItem.objects.filter(pk__in=late)
        reason = _("Công khai trên CSDL quốc gia quá hạn hoặc chưa công khai")
    return (
        items.annotate(reason=Value(reason))
        .select_related("task__agency", "ministry_decision", "procedure")
        .order_by("task__chairman_decision_date", "pk")
    )


def incomplete_procedures(period: ReportPeriod) -> QuerySet:
    whens = [When(~part, then=Value(str(text))) for part, text in PARTS]
    return (
        procedures_in_authority(period.end)
        .annotate(complete=flag(complete_q()))
        .filter(complete=0)
        .annotate(reason=Case(*whens, default=Value("")))
        .select_related("current_version__implementing_agency")
        .order_by("code", "pk")
    )


def feedback_cases(
    period: ReportPeriod,
    agency: Agency | None,
    code: str,
    judged_at: datetime.datetime | None = None,
) -> QuerySet:
    """PAKN costing points on 5.2 / 5.3, lateness judged at ``judged_at``
    (default: the period end; an item not yet due then is not late)."""
    since, until = period_bounds(period.start, period.end)
    ids = None if agency is None else list(_subtree_ids(agency).values_list("pk", flat=True))
    if code == Code.PAKN_ON_TIME:
        items = (
            scope_52(ids, since, until)
            .annotate(is_late=flag(pakn_late_q(judged(until, judged_at))))
            .filter(is_late=1)
            .annotate(reason=Value(_("Xử lý phản ánh, kiến nghị trễ hạn")))
        )
    else:
        items = (
            received_53(ids, since, until, judged_at)
            .filter(Q(is_late=1) | Q(is_disliked=1) | Q(is_followed=1))
            .annotate(
                reason=Case(
                    When(is_late=1, then=Value(_("Xử lý trễ hạn"))),
                    When(is_disliked=1, then=Value(_("Người dân không hài lòng với kết quả"))),
                    default=Value(_("Có phản ánh tiếp về kết quả xử lý")),
                )
            )
        )
    return items.select_related(*FEEDBACK_RELATED).order_by("received_at", "pk")


DESCRIPTIONS = {
    DOSSIER: gettext_lazy("Hồ sơ thuộc mẫu số nhưng không đạt chỉ tiêu trong kỳ"),
    PROCEDURE: gettext_lazy("Thủ tục thuộc mẫu số nhưng không đạt chỉ tiêu"),
    PUBLICATION_ITEM: gettext_lazy(
        "Thủ tục trong các quyết định công bố không đạt chỉ tiêu (toàn tỉnh)"
    ),
    FEEDBACK: gettext_lazy("Phản ánh, kiến nghị làm giảm điểm chỉ tiêu"),
    NONE: gettext_lazy("Chỉ tiêu này không có danh sách chi tiết"),
}


def _model(kind: str):
    """(model, select_related, ordering) of a list kind, as the live lists use them."""
    from feedback.models import Feedback
    from procedures.models import Procedure, PublicationItem

    return {
        DOSSIER: (
            Dossier,
            DOSSIER_RELATED,
            ("received_at", "pk"),
        ),
        PROCEDURE: (Procedure, ("current_version__implementing_agency",), ("code", "pk")),
        PUBLICATION_ITEM: (
            PublicationItem,
            ("task__agency", "ministry_decision", "procedure"),
            ("task__chairman_decision_date", "pk"),
        ),
        FEEDBACK: (Feedback, FEEDBACK_RELATED, ("received_at", "pk")),
    }[kind]


# kind → a callable giving (model, select_related, ordering) (read by services.frozen).
LISTED = {
    kind: (lambda kind=kind: _model(kind))
    for kind in (DOSSIER, PROCEDURE, PUBLICATION_ITEM, FEEDBACK)
}


def list_for(
    period: ReportPeriod,
    agency: Agency | None,
    code: str,
    judged_at: datetime.datetime | None = None,
) -> tuple[str, QuerySet]:
    """(kind, live queryset) of the items costing ``agency`` points on ``code``."""
    since, until = period_bounds(period.start, period.end)
    if code in dossier_criteria(since, until, period.rule_set):
        return DOSSIER, dossier_cases(period, agency, code, judged_at)
    kind = SPECS[code].items if code in SPECS else NONE
    if kind == PROCEDURE and code == Code.CONTENT_FULL:
        return PROCEDURE, incomplete_procedures(period)
    if kind == PROCEDURE:
        return PROCEDURE, procedure_cases(period, agency, code)
    if kind == PUBLICATION_ITEM:
        return PUBLICATION_ITEM, publication_cases(period, code)
    if kind == FEEDBACK:
        return FEEDBACK, feedback_cases(period, agency, code, judged_at)
    return NONE, Dossier.objects.none().annotate(reason=Value(""))


def criterion_cases(
    *,
    period: ReportPeriod,
    agency: Agency | None,
    criterion_code: str,
    now: datetime.datetime | None = None,
) -> CriterionCases:
    """The items that cost ``agency`` (None: the province) points on one
    criterion in ``period``, each with a short Vietnamese ``reason``.

    Published with frozen lists: the items stored at publication (never
    recomputed). Open: open items judged now (not yet due = within deadline),
    like the score now."""
    criterion = (
        Criterion.objects.filter(rule_set=period.rule_set, code=criterion_code)
        .select_related("group")
        .first()
    )
    if criterion is None:
        raise IndicatorError(
            _("Không có chỉ tiêu “%(code)s” trong bộ chỉ số của kỳ này.") % {"code": criterion_code}
        )
    code = criterion.code
    kind, queryset = list_for(period, agency, code, judged_at_for(period, now))
    if period.cases_frozen_at is not None:
        queryset = frozen_queryset(period, agency, code, kind)
    return CriterionCases(period, agency, criterion, kind, queryset, str(DESCRIPTIONS[kind]))


__all__ = ["CriterionCases", "criterion_cases", "dossier_cases", "list_for"]
