"""Form 04: one apology per dossier, at least 1 working day before the deadline;
the due time follows the new date while the original stays recorded (§7)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from dossiers.models import Apology, DocumentKind, Status
from dossiers.services import DossierError
from dossiers.services.apology import apology_allowed, apology_issue
from tests.dossiers.processing import at, in_processing
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(users, workflow_procedure, clock):
    # 4 working days from Mon 03/03/2025 09:00 → due Fri 07/03/2025 09:00.
    record = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    assert record.due_at == at(2025, 3, 7, 9, 0)
    return record


def test_apology_sets_the_new_date_and_keeps_the_original(users, dossier, clock):
    clock.set(2025, 3, 5, 16, 0)
    apology = apology_issue(
        actor=users["lanhdao.tuphap"], dossier=dossier,
        reason="Cần xác minh thêm với cơ quan công an.", new_due_at=at(2025, 3, 12, 17, 0),
    )  # fmt: skip
    dossier.refresh_from_db()
    assert dossier.due_at == at(2025, 3, 12, 17, 0)
    assert dossier.original_due_at == at(2025, 3, 7, 9, 0)
    assert dossier.apology_issued and dossier.status == Status.IN_PROCESSING
    assert apology.original_due_at == at(2025, 3, 7, 9, 0)
    assert dossier.documents.filter(kind=DocumentKind.APOLOGY, source_id=apology.pk).exists()
    # The citizen gets it by e-mail and SMS through the outbox.
    outbox = OutboxMessage.objects.filter(topic=f"dossiers.dossier:{dossier.pk}")
    channels = set(
        outbox.filter(subject__contains="Xin lỗi").values_list("channel", flat=True)
    ) | set(
        outbox.filter(channel="sms", body__contains="Xin lỗi").values_list("channel", flat=True)
    )
    assert channels == {"email", "sms"}


def test_a_second_apology_is_refused(users, dossier, clock):
    clock.set(2025, 3, 4, 9, 0)
    apology_issue(actor=users["lanhdao.tuphap"], dossier=dossier, reason="Chậm xác minh",
                  new_due_at=at(2025, 3, 10, 17, 0))  # fmt: skip
    dossier.refresh_from_db()
    assert "một lần" in apology_allowed(dossier)
    with pytest.raises(DossierError, match="một lần"):
        apology_issue(actor=users["lanhdao.tuphap"], dossier=dossier, reason="Lần nữa",
                      new_due_at=at(2025, 3, 14, 17, 0))  # fmt: skip
    assert Apology.objects.filter(dossier=dossier).count() == 1


def test_an_apology_after_the_deadline_or_too_close_to_it_is_refused(users, dossier, clock):
    # Thursday 06/03 10:00: only 7 working hours left before Fri 09:00 → too late.
    clock.set(2025, 3, 6, 10, 0)
    assert apology_allowed(dossier)
    with pytest.raises(DossierError, match="1 ngày làm việc"):
        apology_issue(actor=users["lanhdao.tuphap"], dossier=dossier, reason="Chậm",
                      new_due_at=at(2025, 3, 12, 17, 0))  # fmt: skip
    clock.set(2025, 3, 7, 10, 0)  # after the deadline
    with pytest.raises(DossierError, match="1 ngày làm việc"):
        apology_issue(actor=users["lanhdao.tuphap"], dossier=dossier, reason="Chậm",
                      new_due_at=at(2025, 3, 12, 17, 0))  # fmt: skip
    # Exactly one working day before (Thu 09:00) is still in time.
    clock.set(2025, 3, 6, 9, 0)
    assert apology_allowed(dossier) == ""


def test_the_new_date_must_be_later_and_only_a_head_signs(users, dossier, clock):
    clock.set(2025, 3, 4, 9, 0)
    with pytest.raises(DossierError, match="sau ngày hẹn"):
        apology_issue(actor=users["lanhdao.tuphap"], dossier=dossier, reason="Chậm",
                      new_due_at=at(2025, 3, 6, 17, 0))  # fmt: skip
    with pytest.raises(DossierError, match="lý do"):
        apology_issue(actor=users["lanhdao.tuphap"], dossier=dossier, reason=" ",
                      new_due_at=at(2025, 3, 12, 17, 0))  # fmt: skip
    with pytest.raises(PermissionDenied):
        apology_issue(actor=users["chuyenvien.tuphap"], dossier=dossier, reason="Chậm",
                      new_due_at=at(2025, 3, 12, 17, 0))  # fmt: skip


def test_calendar_days_notice_is_configurable(users, workflow_procedure, clock, settings):
    # Received Tue 04/03/2025 09:00 → due Monday 10/03/2025 09:00.
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 4, 9, 0)
    assert dossier.due_at == at(2025, 3, 10, 9, 0)
    clock.set(2025, 3, 7, 10, 0)
    # Friday 10:00: 7 working hours left (default, working days) → refused…
    assert apology_allowed(dossier)
    # …but almost three calendar days: allowed when the notice counts calendar days.
    settings.TTHC = {**settings.TTHC, "APOLOGY_NOTICE_UNIT": "days"}
    assert apology_allowed(dossier) == ""
