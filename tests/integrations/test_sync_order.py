"""Outbound sync over real HTTP: header first, then every national status in
order with the portal's own times; idempotent on (MaHoSo, SoThuTu); both
transport styles."""

from __future__ import annotations

import pytest

from integrations.models import DossierSync, EventStatus, SyncAttempt, SyncEvent
from tests.integrations.lifecycle_helpers import supplemented_then_withdrawn
from tests.integrations.sync_helpers import drain_all, hub_progress, hub_target, local_progress

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("transport", ["rest", "service"])
def test_every_status_reaches_the_hub_in_order(
    national_hub, users, workflow_procedure, clock, transport
):
    hub_target(national_hub.url, transport=transport)
    dossier = supplemented_then_withdrawn(users, workflow_procedure, clock)
    drain_all()
    assert not SyncEvent.objects.exclude(status=EventStatus.SENT).exists()
    statuses = [status for _, status, _ in local_progress(dossier)]
    # The submission happened before the code existed; it went once the code did.
    assert statuses == [1, 2, 4, 5, 4, 7]
    assert hub_progress(national_hub.control, dossier.code) == local_progress(dossier)
    times = [time for *_, time in local_progress(dossier)]
    assert times[1:] == ["20250303090000", "20250303090000", "20250303101500",
                         "20250303140000", "20250303150000"]  # fmt: skip
    record = national_hub.control.dossier(dossier.code)
    assert record["header"]["TrangThaiHoSo"] == "7"
    assert record["header"]["NgayTiepNhan"] == "20250303090000"
    assert record["header"]["MaTTHC"] == workflow_procedure.localised_code
    state = DossierSync.objects.get(dossier=dossier)
    assert state.created_on_hub and state.received_synced and state.last_acked_seq == 6
    dossier.refresh_from_db()
    assert dossier.sync_status == "synced"


def test_a_resend_is_acknowledged_and_not_stored_twice(national_hub, users, workflow_procedure,
                                                        clock):  # fmt: skip
    hub_target(national_hub.url)
    dossier = supplemented_then_withdrawn(users, workflow_procedure, clock)
    drain_all()
    before = hub_progress(national_hub.control, dossier.code)
    # A worker died after the hub acknowledged but before the portal recorded it.
    SyncEvent.objects.filter(dossier=dossier).update(status=EventStatus.PENDING)
    DossierSync.objects.filter(dossier=dossier).update(created_on_hub=False)
    drain_all()
    assert hub_progress(national_hub.control, dossier.code) == before
    # The second create met "already exists" and became an update.
    operations = list(
        SyncAttempt.objects.filter(dossier=dossier, operation__in=["create", "update"])
        .order_by("pk").values_list("operation", "reply_class")
    )  # fmt: skip
    assert ("create", "exists") in operations and operations[-1] == ("update", "ok")


def test_every_call_is_logged_with_latency(national_hub, users, workflow_procedure, clock):
    hub_target(national_hub.url)
    dossier = supplemented_then_withdrawn(users, workflow_procedure, clock)
    drain_all()
    attempts = SyncAttempt.objects.filter(dossier=dossier)
    # Everything due for one dossier goes in one ordered progress call.
    progress = attempts.get(operation="progress", reply_class="ok")
    assert progress.request_body.count('"SoThuTu"') == 6
    sample = attempts.filter(operation="create").get()
    assert sample.status_code == 200 and sample.latency_ms > 0
    assert '"MaHoSo"' in sample.request_body and sample.response_body
    # The token request is logged without the secret.
    token = SyncAttempt.objects.filter(operation="token").first()
    assert token is not None and "mat-khau-demo" not in token.request_body


def test_no_hub_configured_writes_nothing(users, workflow_procedure, clock):
    supplemented_then_withdrawn(users, workflow_procedure, clock)
    assert not SyncEvent.objects.exists()


def test_each_commit_dispatches_its_dossier(
    national_hub, users, workflow_procedure, clock, django_capture_on_commit_callbacks
):
    """No beat needed: the transition's commit queues the send (Celery runs eagerly here)."""
    hub_target(national_hub.url)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = supplemented_then_withdrawn(users, workflow_procedure, clock)
    assert not SyncEvent.objects.exclude(status=EventStatus.SENT).exists()
    assert [s for _, s, _ in hub_progress(national_hub.control, dossier.code)] == [1, 2, 4, 5, 4, 7]
