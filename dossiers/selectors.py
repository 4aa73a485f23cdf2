"""Permission-scoped reads of dossiers. Every page and endpoint starts here."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
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


def dossiers_for_staff(user, perm: str = "view_agency_records") -> QuerySet[Dossier]:
    """Dossiers received or resolved by an agency on which the user holds ``perm``."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    agencies = agencies_for_user(user, perm)
    return _base().filter(Q(receiving_agency__in=agencies) | Q(processing_agency__in=agencies))


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """Own dossiers for applicants; for staff, their agencies' dossiers and those
    on which their agency was consulted."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    from .models import DossierStep

    agencies = agencies_for_user(user, "view_agency_records")
    consulted = DossierStep.objects.filter(dossier=OuterRef("pk"), agency__in=agencies)
    return _base().filter(
        Q(applicant=user)
        | Q(receiving_agency__in=agencies)
        | Q(processing_agency__in=agencies)
        | Exists(consulted)
    )


def dossier_for_user(user, pk: int) -> Dossier:
    """Raises Dossier.DoesNotExist (→ 404) for anything the user may not see,
    so a guess never reveals whether a dossier exists."""
    return dossiers_visible_to(user).get(pk=pk)


def desk_queue(user, *, status: str | None = None, overdue_only: bool = False) -> QuerySet[Dossier]:
    """Online and postal dossiers waiting at the user's desks, oldest first.

    ``reception_due_at`` was computed on submission (8 working hours by
    default), so "waiting too long" is a plain indexed comparison.
    """
    statuses = [status] if status else [Status.SUBMITTED, Status.AWAITING_COMPLETION]
    queue = dossiers_for_staff(user, "receive_dossiers").filter(status__in=statuses)
    if overdue_only:
        # Only dossiers still waiting for the desk: a completion request stops that clock.
        queue = queue.filter(status=Status.SUBMITTED, reception_due_at__lt=timezone.now())
    return queue.order_by("submitted_at", "pk")
