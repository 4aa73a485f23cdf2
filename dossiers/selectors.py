"""Permission-scoped reads of dossiers. Every page and endpoint starts here."""

from __future__ import annotations

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from tthc_portal.agencies.selectors import agencies_for_user

from .models import Dossier, Status


def _base() -> QuerySet[Dossier]:
    return Dossier.objects.select_related(
        "procedure_version__procedure", "procedure_version__field", "receiving_agency"
    )


def dossiers_for_applicant(user) -> QuerySet[Dossier]:
    if not user.is_authenticated:
        return Dossier.objects.none()
    return _base().filter(applicant=user)


def dossiers_for_staff(
    user, perm: str = "view_agency_records", *, agencies: QuerySet | None = None
) -> QuerySet[Dossier]:
    """Dossiers received or resolved by an agency on which the user holds ``perm``.
    ``agencies``: that scope, when the caller has built it already (guardian's
    query costs a few milliseconds of Python to build)."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    if agencies is None:
        agencies = agencies_for_user(user, perm)
    return _base().filter(Q(receiving_agency__in=agencies) | Q(processing_agency__in=agencies))


def _handling_q(user) -> Q:
    """Dossiers the user's agencies handle: received or resolved there, or with a
    workflow step at one of them. A consultation is not handling."""
    from .models import DossierStep, StepKind

    agencies = agencies_for_user(user, "view_agency_records")
    workflow_step = DossierStep.objects.filter(dossier=OuterRef("pk"), agency__in=agencies).exclude(
        kind=StepKind.CONSULT
    )
    return (
        Q(receiving_agency__in=agencies) | Q(processing_agency__in=agencies) | Exists(workflow_step)
    )


def _consulted_q(user) -> Q:
    """Dossiers on which the user's unit is asked for an opinion now: only its
    specialists and heads (who may answer), and only until it has answered."""
    from .models import DossierStep, StepKind

    answering = agencies_for_user(user, "process_dossiers")
    open_consultation = DossierStep.objects.filter(
        dossier=OuterRef("pk"), kind=StepKind.CONSULT, completed_at__isnull=True,
        agency__in=answering,
    )  # fmt: skip
    return Exists(open_consultation)


def dossiers_visible_to(user, *, consultations: bool = True) -> QuerySet[Dossier]:
    """Own dossiers for applicants; for staff, the dossiers their agencies
    handle and — with ``consultations`` — those their unit is consulted on
    right now (read-only: see ``dossier_access``)."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    scope = Q(applicant=user) | _handling_q(user)
    if consultations:
        scope |= _consulted_q(user)
    return _base().filter(scope)


def dossier_access(queryset: QuerySet[Dossier], user) -> QuerySet[Dossier]:
    """Annotate ``handled``: False when the user reaches a dossier only through
    an open consultation (read and answer, nothing else)."""
    if not user.is_authenticated:
        return queryset
    return queryset.annotate(handled=ExpressionWrapper(_handling_q(user), BooleanField()))


def dossier_for_user(user, pk: int, *, consultations: bool = True) -> Dossier:
    """Raises Dossier.DoesNotExist (→ 404) for anything the user may not see,
    so a guess never reveals whether a dossier exists. ``consultations=False``
    for anything that changes the dossier: a consulted unit only reads it."""
    return dossiers_visible_to(user, consultations=consultations).get(pk=pk)


DESK_HELD_STATUSES = (Status.SUBMITTED, Status.AWAITING_COMPLETION, Status.RECEIVED)


def desk_queue(user, *, status: str | None = None, overdue_only: bool = False) -> QuerySet[Dossier]:
    """Dossiers the user's desks hold, oldest first: waiting for reception, sent
    back for completion, and received but not yet transferred for processing.

    ``reception_due_at`` was computed on submission (8 working hours by
    default), so "waiting too long" is a plain indexed comparison.
    """
    statuses = [status] if status else list(DESK_HELD_STATUSES)
    queue = dossiers_for_staff(user, "receive_dossiers").filter(status__in=statuses)
    if overdue_only:
        # Only dossiers still waiting for the desk: a completion request stops that clock.
        queue = queue.filter(status=Status.SUBMITTED, reception_due_at__lt=timezone.now())
    return queue.order_by("submitted_at", "pk")
