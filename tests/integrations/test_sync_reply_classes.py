"""What each class of hub reply does to the outbox (national-sync.md §9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import DossierSync, EventStatus, SyncAttempt, SyncEvent, SyncTask
from integrations.simulator import HubControl
from integrations.sync.sender import sync_drain
from tests.dossiers.processing import in_processing
from tests.integrations.sync_helpers import drain_all, hub_progress, hub_target

pytestmark = pytest.mark.django_db


def _moved(users, procedure, clock):
    return in_processing(users, procedure, clock, 2025, 3, 3, 9, 0)


def test_validation_error_is_a_dead_letter_with_a_task(national_hub, users, workflow_procedure,
                                                        clock):  # fmt: skip
    hub_target(national_hub.url)
    national_hub.control.faults(HubControl.rule("tien-do", "validation", count=1))
    dossier = _moved(users, workflow_procedure, clock)
    sync_drain()
    dead = SyncEvent.objects.filter(dossier=dossier, status=EventStatus.DEAD)
    assert dead.count() == 3 and set(dead.values_list("kind", flat=True)) == {"progress"}
    state = DossierSync.objects.get(dossier=dossier)
    assert state.blocked and state.created_on_hub  # the header went, the events did not
    task = SyncTask.objects.get(dossier=dossier)
    assert task.agency == dossier.receiving_agency and task.message
    assert task.errors  # the hub's field errors are kept for the officer
    dossier.refresh_from_db()
    assert dossier.sync_status == "failed"
    # Later changes wait behind the dead letter: order is never broken.
    clock.set(2025, 3, 3, 11, 0)
    from dossiers.services.closing import dossier_withdraw

    dossier_withdraw(actor=users["001085012345"], dossier=dossier, reason="Không cần nữa")
    sync_drain()
    assert SyncEvent.objects.filter(dossier=dossier, status=EventStatus.PENDING).exists()
    assert hub_progress(national_hub.control, dossier.code) == []


@pytest.mark.parametrize(
    ("kind", "value", "reply_class"),
    [("http", 502, "down"), ("http", 500, "server"), ("timeout", 3000, "timeout"),
     ("reset", None, "down")],
)  # fmt: skip
def test_transient_failures_back_off_then_succeed(
    national_hub, users, workflow_procedure, clock, kind, value, reply_class
):
    target = hub_target(national_hub.url, read_timeout=0.5, backoff_base=60, backoff_max=600)
    national_hub.control.faults(HubControl.rule("*", kind, value, count=1))
    dossier = _moved(users, workflow_procedure, clock)
    now = timezone.now()
    sync_drain(now=now)
    rows = SyncEvent.objects.filter(dossier=dossier)
    assert set(rows.values_list("status", flat=True)) == {EventStatus.PENDING}
    assert set(rows.values_list("error_class", flat=True)) == {reply_class}
    assert set(rows.values_list("attempts", flat=True)) == {1}
    first = rows.order_by("seq").first()
    # Exponential backoff with jitter: between half and all of the first step.
    assert now + timedelta(seconds=30) <= first.next_attempt_at <= now + timedelta(seconds=60)
    assert sync_drain(now=now).sent == 0  # not due yet: nothing is hammered
    report = sync_drain(now=now + timedelta(seconds=61))
    assert report.sent == 4  # the header and three events
    assert [s for _, s, _ in hub_progress(national_hub.control, dossier.code)] == [1, 2, 4]
    target.refresh_from_db()
    assert target.consecutive_failures == 0


def test_exists_on_create_switches_to_update(national_hub, users, workflow_procedure, clock):
    """The hub already holds the dossier (e.g. the portal lost its own record of
    the create): "exists" (−3 here) turns the same header into an update."""
    hub_target(national_hub.url)
    dossier = _moved(users, workflow_procedure, clock)
    drain_all()
    DossierSync.objects.filter(dossier=dossier).update(created_on_hub=False)
    national_hub.control.faults(HubControl.rule("them-moi", "error_code", -3, count=1))
    clock.set(2025, 3, 3, 11, 0)
    from dossiers.services.closing import dossier_withdraw

    dossier_withdraw(actor=users["001085012345"], dossier=dossier, reason="Không cần nữa")
    drain_all()
    assert national_hub.control.dossier(dossier.code)["header"]["TrangThaiHoSo"] == "7"
    operations = list(
        SyncAttempt.objects.filter(dossier=dossier).order_by("pk")
        .values_list("operation", "reply_class")
    )  # fmt: skip
    assert operations[-3:] == [("create", "exists"), ("update", "ok"), ("progress", "ok")]
    assert DossierSync.objects.get(dossier=dossier).created_on_hub


def test_status_zero_is_never_sent(national_hub, users, workflow_procedure, clock):
    """A state without a national code keeps the last mapped one in the header."""
    from dossiers.models import NationalStatusMap

    hub_target(national_hub.url)
    NationalStatusMap.objects.filter(status="in_processing").update(national_code="")
    dossier = _moved(users, workflow_procedure, clock)
    drain_all()
    record = national_hub.control.dossier(dossier.code)
    assert record["header"]["TrangThaiHoSo"] == "2"
    assert [s for _, s, _ in hub_progress(national_hub.control, dossier.code)] == [1, 2]
