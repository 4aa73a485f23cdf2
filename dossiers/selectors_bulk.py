"""Reads for the desk's bulk actions: the selected dossiers the officer may act on."""

from __future__ import annotations

from collections.abc import Sequence

from .models import Dossier
from .selectors import dossiers_for_staff
from .selectors_desk import RECEIVE_PERM

# A page of the queue is 25 rows; a crafted request cannot ask for thousands.
MAX_SELECTION = 200


def desk_bulk_dossiers(user, dossier_ids: Sequence[int]) -> dict[int, Dossier]:
    """The selected dossiers received or resolved at the user's desks, by pk.

    Same scope as the single-dossier desk pages (``dossiers_for_staff`` with
    ``receive_dossiers``): an id outside it is simply absent, as a 404 would be.
    """
    ids = list(dict.fromkeys(dossier_ids))[:MAX_SELECTION]
    if not ids:
        return {}
    dossiers = dossiers_for_staff(user, RECEIVE_PERM).select_related(
        "procedure_version__procedure", "receiving_agency", "processing_agency"
    )
    return {dossier.pk: dossier for dossier in dossiers.filter(pk__in=ids)}
