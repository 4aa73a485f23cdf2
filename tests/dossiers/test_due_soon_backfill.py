"""Migration 0019 and the synthetic generator fill the stored instants of rows
written without them: the backfill stores exactly what the services store."""

from __future__ import annotations

import pytest

from dossiers.models import Dossier, DossierStep
from dossiers.services.deadlines_backfill import due_soon_backfill
from tests.dossiers.processing import in_processing
from tthc_portal.workdays.services import get_calendar

pytestmark = pytest.mark.django_db

DOSSIER_COLUMNS = ("pk", "due_soon_at", "apology_ask_at")
STEP_COLUMNS = ("pk", "due_soon_at", "dossier_due_at")


def test_the_backfill_stores_what_the_services_store(users, workflow_procedure, clock):
    for when in ((2025, 3, 3, 9, 0), (2025, 3, 3, 16, 30), (2025, 3, 4, 10, 0)):
        in_processing(users, workflow_procedure, clock, *when)
    by_services = (
        list(Dossier.objects.order_by("pk").values_list(*DOSSIER_COLUMNS)),
        list(DossierStep.objects.order_by("pk").values_list(*STEP_COLUMNS)),
    )
    assert all(row[1] is not None for row in by_services[0])
    Dossier.objects.update(due_soon_at=None, apology_ask_at=None)
    DossierStep.objects.update(due_soon_at=None, dossier_due_at=None)

    dossiers, steps = due_soon_backfill(get_calendar())

    assert dossiers == 3 and steps == DossierStep.objects.filter(completed_at__isnull=True).count()
    open_steps = set(
        DossierStep.objects.filter(completed_at__isnull=True).values_list("pk", flat=True)
    )
    assert list(Dossier.objects.order_by("pk").values_list(*DOSSIER_COLUMNS)) == by_services[0]
    # Finished steps are never swept: only the open ones are filled.
    assert [
        row for row in DossierStep.objects.order_by("pk").values_list(*STEP_COLUMNS)
        if row[0] in open_steps
    ] == [row for row in by_services[1] if row[0] in open_steps]  # fmt: skip
