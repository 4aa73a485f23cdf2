"""Reads for the citizen pages: my dossiers, one of my dossiers, my data store.

Everything starts from ``dossiers_for_applicant`` / ``dossier_for_user``, so a
dossier that is not the user's raises ``DoesNotExist`` (→ 404 in the views).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.models import ComponentRequirement, FeeItem, WorkflowStep

from .models import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    Dossier,
    DossierComponent,
    Payment,
    PaymentStatus,
    PersonalDocument,
    Status,
    SupplementRequest,
)
from .selectors import dossier_for_user, dossiers_for_applicant


@dataclass(frozen=True)
class StatusGroup:
    key: str
    label: str
    statuses: tuple[str, ...]


# The dashboard filter: the citizen's words for groups of internal states.
STATUS_GROUPS: tuple[StatusGroup, ...] = (
    StatusGroup("dang-soan", _("Đang soạn"), (Status.DRAFT,)),
    StatusGroup(
        "dang-xu-ly",
        _("Đang xử lý"),
        (Status.SUBMITTED, Status.RECEIVED, Status.IN_PROCESSING),
    ),
    StatusGroup(
        "can-bo-sung",
        _("Cần bổ sung"),
        (Status.AWAITING_COMPLETION, Status.AWAITING_SUPPLEMENT),
    ),
    StatusGroup("da-co-ket-qua", _("Đã có kết quả"), tuple(TERMINAL_STATUSES)),
)
GROUPS_BY_KEY = {group.key: group for group in STATUS_GROUPS}

# Where the applicant may still change uploads and data (mirrors the service).
EDITABLE_STATUSES = (Status.DRAFT, Status.AWAITING_COMPLETION, Status.AWAITING_SUPPLEMENT)

# CSS modifier for a status tag (workspace.css .state-*, dossier.css .state-info).
STATUS_CSS = {
    Status.DRAFT: "muted",
    Status.SUBMITTED: "info",
    Status.AWAITING_COMPLETION: "warn",
    Status.REFUSED: "bad",
    Status.RECEIVED: "info",
    Status.IN_PROCESSING: "info",
    Status.AWAITING_SUPPLEMENT: "warn",
    Status.REJECTED: "bad",
    Status.RESULT_READY: "ok",
    Status.RETURNED: "ok",
    Status.WITHDRAWN: "muted",
    Status.STOPPED: "bad",
    Status.ARCHIVED: "muted",
}


def _open_supplement() -> Exists:
    return Exists(
        SupplementRequest.objects.filter(dossier=OuterRef("pk"), completed_at__isnull=True)
    )


def _open_payment() -> Exists:
    return Exists(Payment.objects.filter(dossier=OuterRef("pk"), status=PaymentStatus.REQUESTED))


def _late_flags(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """``overdue``: an open dossier past its appointment — the sweep's flag, or
    a due time already passed before the sweep ran, or the original appointment
    missed once an apology moved it; with the apology's date and new appointment
    (``apology_issued_at``, ``apology_new_due_at``) from the same query."""
    now = timezone.now()
    late = Q(is_overdue=True) | Q(due_at__lt=now) | Q(apology_issued=True, original_due_at__lt=now)
    return queryset.annotate(
        overdue=ExpressionWrapper(Q(status__in=OPEN_STATUSES) & late, output_field=BooleanField()),
        apology_issued_at=F("apology__issued_at"),
        apology_new_due_at=F("apology__new_due_at"),
    )


def _searched(user, search: Q | None) -> QuerySet[Dossier]:
    """The user's dossiers, narrowed by a search condition (``selectors_search``:
    code or its last digits, name with or without diacritics, phone, ID number)."""
    queryset = dossiers_for_applicant(user)
    return queryset.filter(search) if search is not None else queryset


def my_dossiers(user, group: str | None = None, search: Q | None = None) -> QuerySet[Dossier]:
    """The user's dossiers, newest first, with the "action needed" flags
    computed in the same query (no per-row lookups)."""
    queryset = _searched(user, search)
    selected = GROUPS_BY_KEY.get(group or "")
    if selected is not None:
        queryset = queryset.filter(status__in=selected.statuses)
    return _late_flags(
        queryset.annotate(needs_supplement=_open_supplement(), needs_payment=_open_payment())
    ).order_by("-created_at", "-pk")


def group_counts(user, search: Q | None = None) -> dict[str, int]:
    """How many of the user's dossiers (matching ``search``) fall in each group
    (one query)."""
    aggregates = {
        group.key.replace("-", "_"): Count("pk", filter=Q(status__in=group.statuses))
        for group in STATUS_GROUPS
    }
    counts = _searched(user, search).aggregate(total=Count("pk"), **aggregates)
    return {
        "": counts["total"],
        **{group.key: counts[group.key.replace("-", "_")] for group in STATUS_GROUPS},
    }


def my_dossier(user, pk: int) -> Dossier:
    """One of the user's own dossiers (applicant only; staff use the desk pages)."""
    return dossiers_for_applicant(user).select_related("applicant").get(pk=pk)


def requirements_with_components(dossier: Dossier) -> list[ComponentRequirement]:
    """The version's component requirements, each with ``attached`` = the
    dossier's files for it (two queries in all)."""
    by_requirement: dict[int | None, list[DossierComponent]] = {}
    for component in DossierComponent.objects.filter(dossier=dossier).order_by("uploaded_at", "pk"):
        by_requirement.setdefault(component.requirement_id, []).append(component)
    requirements = list(dossier.procedure_version.components.order_by("order", "pk"))
    for requirement in requirements:
        requirement.attached = by_requirement.get(requirement.pk, [])
    return requirements


def requirement_with_components(dossier: Dossier, requirement_pk: int) -> ComponentRequirement:
    """One slot of the draft page; ``DoesNotExist`` when not of this dossier's version."""
    requirement = dossier.procedure_version.components.get(pk=requirement_pk)
    requirement.attached = list(
        DossierComponent.objects.filter(dossier=dossier, requirement=requirement).order_by(
            "uploaded_at", "pk"
        )
    )
    return requirement


def version_fees(dossier: Dossier) -> list[FeeItem]:
    return list(dossier.procedure_version.fees.order_by("pk"))


def open_supplement_requests(dossier: Dossier) -> list[SupplementRequest]:
    return list(dossier.supplement_requests.filter(completed_at__isnull=True))


def open_payment(dossier: Dossier) -> Payment | None:
    return dossier.payments.filter(status=PaymentStatus.REQUESTED).first()


def citizen_status_text(dossier: Dossier) -> str:
    """What the citizen reads as "where is my dossier".

    Until per-step processing is recorded, an in-processing dossier shows the
    first workflow step's citizen-facing text; otherwise the status label.
    """
    if dossier.status == Status.IN_PROCESSING:
        step = (
            WorkflowStep.objects.filter(version_id=dossier.procedure_version_id)
            .exclude(citizen_status_text="")
            .order_by("order")
            .first()
        )
        if step is not None:
            return step.citizen_status_text
    return str(dossier.get_status_display())


def dossier_page(user, pk: int) -> Dossier:
    """The dossier page: the dossier with its files, papers and history
    prefetched, and its lateness flags (``_late_flags``)."""
    return (
        _late_flags(dossiers_for_applicant(user))
        .prefetch_related(
            Prefetch(
                "components",
                queryset=DossierComponent.objects.select_related("requirement").order_by(
                    "requirement__order", "pk"
                ),
            ),
            "documents",
            "history",
        )
        .get(pk=pk)
    )


def component_for_user(user, dossier_pk: int, component_pk: int) -> DossierComponent:
    """A submitted file, for its applicant or the receiving agency's staff."""
    dossier = dossier_for_user(user, dossier_pk)
    return DossierComponent.objects.select_related("dossier").get(dossier=dossier, pk=component_pk)


def personal_documents(user) -> QuerySet[PersonalDocument]:
    if not user.is_authenticated:
        return PersonalDocument.objects.none()
    return (
        PersonalDocument.objects.filter(owner=user)
        .select_related("source_dossier")
        .order_by("-created_at", "-pk")
    )


def personal_document_for_owner(user, pk: int) -> PersonalDocument:
    return personal_documents(user).get(pk=pk)
