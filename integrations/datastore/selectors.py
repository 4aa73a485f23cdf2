"""Reads of the desk's data-store page (the dossier itself is scoped by the desk selector)."""

from __future__ import annotations

from dossiers.models import Dossier, DossierComponent

from ..models import StoreLookup


def store_lookup_latest(dossier: Dossier) -> StoreLookup | None:
    return StoreLookup.objects.filter(dossier=dossier).order_by("-at", "-pk").first()


def store_components(dossier: Dossier) -> list[DossierComponent]:
    return list(
        DossierComponent.objects.filter(dossier=dossier, from_personal_store=True)
        .select_related("requirement")
        .order_by("requirement__order", "pk")
    )
