"""Reads behind the applicant's own rating page (scoped to the signed-in applicant)."""

from __future__ import annotations

from django.db.models import Prefetch

from dossiers.models import Dossier
from dossiers.selectors import dossiers_for_applicant

from .models import Rating, RatingScore, RatingSource


def dossier_to_rate_for_applicant(user, dossier_id: int) -> Dossier:
    """One of the signed-in applicant's own dossiers with a code.

    ``Dossier.DoesNotExist`` (→ 404) for anyone else's dossier, a draft, or a
    visitor: the page must not tell whether the dossier exists.
    """
    return (
        dossiers_for_applicant(user)
        .filter(code__isnull=False)
        .select_related("receiving_agency", "procedure_version")
        .get(pk=dossier_id)
    )


def portal_rating(dossier: Dossier) -> Rating | None:
    """The dossier's rating from the portal (session or one-time link), with its scores."""
    return (
        Rating.objects.select_related("rule_set")
        .prefetch_related(
            Prefetch("scores", queryset=RatingScore.objects.select_related("criterion"))
        )
        .filter(dossier=dossier, source=RatingSource.PORTAL)
        .first()
    )
