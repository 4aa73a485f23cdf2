"""Reconciliation over real HTTP (issue 12, item 7): divergences injected in the
simulator are listed exactly — missing, status, dates, progress events — and
the one-click resync repairs them; in-flight dossiers are not differences; a
failed look-up is an error, never "missing"; official figures are appended."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from dossiers.models import Dossier
from indicators.services.periods import period_get_or_create
from integrations.models import (
    Difference,
    DossierSync,
    EventStatus,
    NationalFigure,
    SyncEvent,
    SyncTask,
)
from integrations.reconcile import (
    ResyncError,
    difference_resync,
    dossier_resync,
    national_figures_fetch,
    reconcile_run,
)
from integrations.reconcile.figures import national_received_totals
from tests.dossiers.conftest import JUSTICE
from tests.dossiers.processing import in_processing
from tests.integrations.recon_helpers import synced_scene
from tests.integrations.sync_helpers import drain_all, hub_progress, local_progress
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _listed(run) -> set[tuple[str, str, str]]:
    return set(Difference.objects.filter(run=run).values_list("code", "kind", "field"))


def test_a_province_in_step_with_the_hub_has_no_difference(
    national_hub, users, workflow_procedure, clock
):
    scene = synced_scene(national_hub, users, workflow_procedure, clock)
    run = reconcile_run(scene.target)
    assert (run.checked, run.differences, run.error, run.in_flight) == (4, 0, "", 0)
    assert run.finished_at is not None
    lookups = national_hub.control.requests(limit=20)
    assert any("tra-cuu" in r["path"] for r in lookups)


def test_injected_divergences_are_listed_exactly_and_resync_repairs_them(
    national_hub, users, workflow_procedure, clock
):
    scene = synced_scene(national_hub, users, workflow_procedure, clock)
    hub = national_hub.control
    hub.drop(scene.received.code)
    # The hub kept an older version of the header (a lost update): its SoThuTu is lower.
    hub.alter(scene.processing.code, TrangThaiHoSo="2", SoThuTu="1")
    hub.alter(scene.withdrawn.code, NgayHenTra="20250331170000", SoThuTu="1")
    hub.drop_events_after(scene.other.code, 1)
    # A dossier whose rows are still queued is in flight, not a difference.
    clock.set(2025, 3, 6, 9, 0)
    late = in_processing(users, workflow_procedure, clock, 2025, 3, 6, 9, 0)
    assert SyncEvent.objects.filter(dossier=late, status=EventStatus.PENDING).exists()

    run = reconcile_run(scene.target)
    assert (run.checked, run.in_flight) == (4, 1)
    assert _listed(run) == {
        (scene.received.code, "missing", ""),
        (scene.processing.code, "status", "TrangThaiHoSo"),
        (scene.withdrawn.code, "dates", "NgayHenTra"),
        (scene.other.code, "events", "TienDo[2]"),
        (scene.other.code, "events", "TienDo[3]"),
    }
    assert run.differences == 5
    status = Difference.objects.get(run=run, kind="status")
    assert (status.local_value, status.national_value) == ("4", "2")
    dates = Difference.objects.get(run=run, kind="dates")
    assert dates.national_value == "20250331170000" and dates.local_value.startswith("2025")
    event = Difference.objects.get(run=run, field="TienDo[2]")
    assert event.local_value.startswith("2 | 2025") and event.national_value == ""

    office = users["vanphong"]
    for dossier in (scene.received, scene.processing, scene.withdrawn, scene.other):
        difference = Difference.objects.filter(run=run, dossier=dossier).first()
        difference_resync(difference, office)
    assert not Difference.objects.filter(run=run, resynced_at__isnull=True).exists()
    assert set(Difference.objects.filter(run=run).values_list("resynced_by", flat=True)) == {
        office.pk
    }
    assert AuditEvent.objects.filter(action="integrations.difference_resync").count() == 4
    state = DossierSync.objects.get(dossier=scene.received)
    assert not state.created_on_hub and not state.received_synced  # until the hub acknowledges
    drain_all()

    again = reconcile_run(scene.target)
    assert (again.checked, again.differences, again.in_flight) == (5, 0, 0), _listed(again)
    for dossier in (scene.received, scene.other, late):
        assert hub_progress(hub, dossier.code) == local_progress(dossier)
    assert hub.dossier(scene.processing.code)["header"]["TrangThaiHoSo"] == "4"
    assert DossierSync.objects.get(dossier=scene.received).received_synced


def test_a_failed_lookup_is_an_error_and_lists_nothing(
    national_hub, users, workflow_procedure, clock
):
    scene = synced_scene(national_hub, users, workflow_procedure, clock)
    national_hub.control.faults(national_hub.control.rule("tra-cuu", "http", 500))
    run = reconcile_run(scene.target)
    assert run.error and run.differences == 0 and run.checked == 0
    assert not Difference.objects.exists()
    national_hub.control.clear_faults()
    assert reconcile_run(scene.target).differences == 0


def test_dead_letter_resync_sends_the_refused_rows_and_closes_the_task(
    national_hub, users, workflow_procedure, clock
):
    scene = synced_scene(national_hub, users, workflow_procedure, clock)
    hub = national_hub.control
    hub.faults(hub.rule("tien-do", "validation", count=1))
    clock.set(2025, 3, 7, 9, 0)
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 7, 9, 0)
    drain_all()
    assert SyncEvent.objects.filter(dossier=dossier, status=EventStatus.DEAD).exists()
    task = SyncTask.objects.get(dossier=dossier, resolved_at__isnull=True)
    with pytest.raises(PermissionDenied):
        dossier_resync(dossier, users["motcua.yte"])  # another unit's desk officer
    queued = dossier_resync(Dossier.objects.get(pk=dossier.pk), users["motcua.tuphap"])
    assert queued >= 1
    task.refresh_from_db()
    assert task.resolved_at is not None and task.resolved_by == users["motcua.tuphap"]
    assert not DossierSync.objects.get(dossier=dossier).blocked
    drain_all()
    assert not SyncEvent.objects.filter(dossier=dossier).exclude(status=EventStatus.SENT).exists()
    assert [s for _, s, _ in hub_progress(hub, dossier.code)] == [1, 2, 4]
    with pytest.raises(ResyncError):
        dossier_resync(dossier, users["vanphong"])  # nothing left to resync
    assert reconcile_run(scene.target).differences == 0


def test_official_figures_are_appended_and_feed_the_1_4_denominator(
    national_hub, users, workflow_procedure, clock, province
):
    scene = synced_scene(national_hub, users, workflow_procedure, clock)
    justice = province[JUSTICE]
    period = period_get_or_create("2025-03")
    hub = national_hub.control
    hub.set_counts(justice.code, "20250301", "20250331", 7)
    hub.set_indicators(justice.code, "2025-03", [{"Ma": "1.4", "GiaTri": "57.14", "Diem": "3.43"}])
    report = national_figures_fetch(scene.target, period)
    assert report.failures == 0 and report.units >= 1
    rows = NationalFigure.objects.filter(agency=justice, period="2025-03")
    assert dict(rows.values_list("key", "value")) == {
        "SoHoSoTiepNhan": Decimal(7),
        "SoHoSoDongBo": Decimal(4),
        "1.4": Decimal("57.14"),
    }
    hub.set_counts(justice.code, "20250301", "20250331", 9)
    clock.set(2025, 3, 8, 1, 0)
    national_figures_fetch(scene.target, period)
    assert rows.filter(key="SoHoSoTiepNhan").count() == 2  # appended, never overwritten
    totals = national_received_totals(period.start, period.end, "month", None)
    assert totals[justice.pk] == 9
