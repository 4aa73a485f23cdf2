"""Permission-scoped reads: a receipt exists for desk officers of the dossier's
receiving agency (``receive_dossiers``) and, once usable, for the dossier's applicant."""

from __future__ import annotations

from django.db.models import QuerySet

from dossiers.models import Dossier
from dossiers.selectors import dossiers_for_staff
from dossiers.selectors_desk import RECEIVE_PERM

from .models import Receipt, ReceiptSeries, ReceiptStatus


def receipts_for_desk(user) -> QuerySet[Receipt]:
    return Receipt.objects.filter(dossier__in=dossiers_for_staff(user, RECEIVE_PERM))


def receipt_for_desk(user, pk: int) -> Receipt:
    """Raises ``Receipt.DoesNotExist`` (→ 404) outside the user's desks."""
    return (
        receipts_for_desk(user)
        .select_related("dossier", "series", "replaces", "payment")
        .prefetch_related("notices")
        .get(pk=pk)
    )


def receipt_for_download(user, pk: int) -> Receipt:
    """A usable receipt with its signed PDF, for its desk or the dossier's applicant."""
    issued = Receipt.objects.filter(status=ReceiptStatus.ISSUED).exclude(pdf="")
    if user.is_authenticated and user.is_applicant:
        return issued.get(pk=pk, dossier__applicant=user)
    return issued.filter(pk__in=receipts_for_desk(user).values("pk")).get(pk=pk)


def dossier_receipts(dossier: Dossier) -> list[Receipt]:
    return list(dossier.fee_receipts.select_related("replaces").order_by("created_at", "pk"))


def desk_points(dossier: Dossier) -> list[ReceiptSeries]:
    """The open collection points of the dossier's desk (for the officer's choice)."""
    from django.db.models import F
    from django.utils import timezone

    return list(
        ReceiptSeries.objects.filter(
            agency_id=dossier.receiving_agency_id, is_active=True, for_online=False,
            year=timezone.localdate().year, next_number__lte=F("range_end"),
        ).order_by("point_code")
    )  # fmt: skip
