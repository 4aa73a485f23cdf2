"""A supplement during processing pauses the clock; handing it in resumes it
and moves the due time by exactly the paused working time (lifecycle §10 ex. 3)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dossiers.models import ClockPause, Status, SupplementRequest, SupplementStage
from dossiers.services.lifecycle import dossier_transition
from dossiers.services.reception import dossier_receive
from dossiers.services.submission import dossier_supplement
from tests.dossiers.test_reception import submitted

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_pause_and_resume_follow_worked_example_3(users, online_procedure, monkeypatch):
    # 10 working days in working-hours mode, as procedure 1.001806 of the example.
    version = online_procedure.current_version
    type(version).objects.filter(pk=version.pk).update(
        time_limit=Decimal(10), time_unit="working_days", time_kind="simple"
    )
    dossier = dossier_receive(
        actor=users["motcua.tuphap"],
        dossier=submitted(users, online_procedure),
        at=datetime(2025, 3, 3, 9, 0, tzinfo=TZ),
    )
    assert dossier.due_at == datetime(2025, 3, 17, 9, 0, tzinfo=TZ)
    dossier_transition(actor=users["motcua.tuphap"], dossier=dossier, action="transfer")

    requested = datetime(2025, 3, 5, 14, 0, tzinfo=TZ)

    def pause(locked):
        ClockPause.objects.create(dossier=locked, started_at=requested)
        SupplementRequest.objects.create(
            dossier=locked, stage=SupplementStage.DURING_PROCESSING,
            items=[{"name": "Bản sao giấy phép", "reason": "Hết hạn"}],
            requested_by=users["lanhdao.tuphap"], requested_at=requested,
        )  # fmt: skip
        locked.supplement_count += 1
        locked.due_at = None  # the clock stands still
        return ["supplement_count", "due_at"]

    dossier = dossier_transition(
        actor=users["lanhdao.tuphap"], dossier=dossier, action="request_supplement", apply=pause
    )
    assert dossier.status == Status.AWAITING_SUPPLEMENT and dossier.due_at is None

    completed = datetime(2025, 3, 11, 10, 30, tzinfo=TZ)
    monkeypatch.setattr("django.utils.timezone.now", lambda: completed)
    dossier = dossier_supplement(actor=users["001085012345"], dossier=dossier)
    assert dossier.status == Status.IN_PROCESSING
    # 29.5 working hours paused → due Thu 20/03/2025 15:30; the original stays recorded.
    assert dossier.due_at == datetime(2025, 3, 20, 15, 30, tzinfo=TZ)
    assert dossier.original_due_at == datetime(2025, 3, 17, 9, 0, tzinfo=TZ)
    assert ClockPause.objects.get(dossier=dossier).ended_at == completed
    assert SupplementRequest.objects.get(dossier=dossier).completed_at == completed


def test_another_citizen_cannot_hand_in_the_supplement(users, online_procedure):
    from django.core.exceptions import PermissionDenied

    dossier = dossier_receive(
        actor=users["motcua.tuphap"], dossier=submitted(users, online_procedure)
    )
    dossier_transition(actor=users["motcua.tuphap"], dossier=dossier, action="transfer")
    dossier_transition(actor=users["lanhdao.tuphap"], dossier=dossier, action="request_supplement")
    with pytest.raises(PermissionDenied):
        dossier_supplement(actor=users["036190004567"], dossier=dossier)
