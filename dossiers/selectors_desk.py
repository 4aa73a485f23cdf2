"""Reads for the one-stop desk's reception workspace.

Everything starts from :mod:`dossiers.selectors` (``desk_queue`` and
``dossiers_for_staff(user, "receive_dossiers")``), so an officer only ever
sees the dossiers of agencies on which they hold ``receive_dossiers``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from procedures.models import ComponentRequirement, Level, ProcedureVersion
from procedures.selectors import catalogue_search, search_terms
from tthc_portal.agencies.models import Agency, AgencyKind
from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.audit.models import AuditEvent
from tthc_portal.workdays.services import get_calendar

from .models import Dossier, DossierComponent, DossierDocument, Status
from .selectors import desk_queue, dossiers_for_staff

RECEIVE_PERM = "receive_dossiers"
# Only a dossier actually waiting for the desk's check can be "too long" at the
# desk; one awaiting completion is waiting for the applicant.
WAITING_STATUSES = (Status.SUBMITTED, Status.AWAITING_COMPLETION)
COMMUNE_LEVELS = (Level.COMMUNE, Level.PROVINCE_AND_COMMUNE)


def desk_agencies(user) -> QuerySet[Agency]:
    """Agencies whose desk the user staffs."""
    return agencies_for_user(user, RECEIVE_PERM).order_by("name", "pk")


def overdue_q(now: datetime) -> Q:
    """Waiting for the desk's check for more than the acceptance SLA (8 working hours)."""
    return Q(status=Status.SUBMITTED, reception_due_at__lt=now)


# --- the queue ------------------------------------------------------------------------


def desk_queue_filtered(
    user,
    *,
    status: str | None = None,
    overdue_only: bool = False,
    channel: int | None = None,
    query: str = "",
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """The desk queue (oldest first) with the workspace filters applied."""
    now = now or timezone.now()
    queue = desk_queue(user, status=status)
    if overdue_only:
        queue = queue.filter(overdue_q(now))
    if channel:
        queue = queue.filter(channel=channel)
    _phrase, words = search_terms(query)
    if words:
        by_code = Q(procedure_version__procedure__code__startswith=query.strip()[:32])
        by_words = Q()
        for word in words:
            by_words &= Q(procedure_version__search_text__contains=word)
        queue = queue.filter(by_code | by_words)
    return queue


@dataclass(frozen=True)
class QueueSummary:
    waiting: int
    overdue: int
    awaiting_completion: int
    awaiting_transfer: int


def desk_queue_summary(user, now: datetime | None = None) -> QueueSummary:
    """Counts for the whole queue, in one SQL aggregate."""
    now = now or timezone.now()
    counts = (
        desk_queue(user)
        .order_by()
        .aggregate(
            waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
            overdue=Count("pk", filter=overdue_q(now)),
            awaiting_completion=Count("pk", filter=Q(status=Status.AWAITING_COMPLETION)),
            awaiting_transfer=Count("pk", filter=Q(status=Status.RECEIVED)),
        )
    )
    return QueueSummary(**counts)


@dataclass(frozen=True)
class QueueRow:
    dossier: Dossier
    waiting: timedelta | None  # working time since submission (None: not at the desk)
    overdue: bool

    @property
    def waiting_hours(self) -> float | None:
        return None if self.waiting is None else self.waiting.total_seconds() / 3600


def queue_rows(dossiers, now: datetime | None = None) -> list[QueueRow]:
    """Waiting time per row of one page (one calendar, no query per row)."""
    now = now or timezone.now()
    calendar = get_calendar()
    rows = []
    for dossier in dossiers:
        at_desk = dossier.status == Status.SUBMITTED and dossier.submitted_at is not None
        waiting = calendar.working_time_between(dossier.submitted_at, now) if at_desk else None
        overdue = bool(at_desk and dossier.reception_due_at and dossier.reception_due_at < now)
        rows.append(QueueRow(dossier=dossier, waiting=waiting, overdue=overdue))
    return rows


# --- counter entry ----------------------------------------------------------------------


def receivable_versions(agency: Agency, query: str = "") -> QuerySet[ProcedureVersion]:
    """Versions in force whose dossiers this agency's desk receives.

    Mirrors ``submission.receiving_agency_for``: the implementing unit's own
    procedures; for a commune, also every commune-level procedure.
    """
    scope = Q(implementing_agency=agency) & ~Q(level=Level.COMMUNE)
    if agency.kind == AgencyKind.COMMUNE:
        scope |= Q(level__in=COMMUNE_LEVELS)
    return catalogue_search(query).filter(scope)


def counter_drafts(user, limit: int = 10) -> list[Dossier]:
    """The dossiers this officer started at the counter and did not finish,
    most recently touched first, so an entry left when the applicant went to
    fetch a paper is found and resumed. Who started a draft is the actor of
    its ``dossier.create`` audit event (looked up through the audit index on
    the target); one query."""
    started_here = AuditEvent.objects.filter(
        actor=user,
        action="dossier.create",
        target_type=ContentType.objects.get_for_model(Dossier),
        target_id=Cast(OuterRef("pk"), CharField()),
    )
    return list(
        dossiers_for_staff(user, RECEIVE_PERM)
        .filter(status=Status.DRAFT, submitted_by_officer=True)
        .filter(Exists(started_here))
        .select_related("procedure_version")
        .order_by("-updated_at", "-pk")[:limit]
    )


# --- the check page ---------------------------------------------------------------------


def desk_dossier(user, pk: int) -> Dossier:
    """One dossier of the user's desks, with everything the check page shows.

    Raises ``Dossier.DoesNotExist`` (→ 404) for anything outside the user's desks.
    """
    return (
        dossiers_for_staff(user, RECEIVE_PERM)
        .select_related("applicant")
        .prefetch_related(
            Prefetch(
                "procedure_version__components",
                queryset=ComponentRequirement.objects.order_by("order", "pk"),
            ),
            "procedure_version__fees",
            Prefetch(
                "components",
                queryset=DossierComponent.objects.select_related("digitised_by").order_by(
                    "uploaded_at", "pk"
                ),
            ),
            Prefetch("documents", queryset=DossierDocument.objects.order_by("created_at", "pk")),
            "supplement_requests",
        )
        .get(pk=pk)
    )


@dataclass
class RequirementRow:
    requirement: ComponentRequirement
    provided: list[DossierComponent]

    @property
    def missing(self) -> bool:
        return self.requirement.required and not self.provided


def requirement_rows(dossier: Dossier) -> tuple[list[RequirementRow], list[DossierComponent]]:
    """The version's requirements side by side with what was provided, and the
    files attached to no requirement. Uses the prefetched lists only."""
    by_requirement: dict[int | None, list[DossierComponent]] = {}
    for component in dossier.components.all():
        by_requirement.setdefault(component.requirement_id, []).append(component)
    rows = [
        RequirementRow(requirement, by_requirement.pop(requirement.pk, []))
        for requirement in dossier.procedure_version.components.all()
    ]
    # Files for a requirement of another version (the dossier moved to the version
    # in force at receipt) are shown with the unattached ones.
    others = [component for components in by_requirement.values() for component in components]
    return rows, others
