"""Shared set-up for the processing tests: a fixed workflow and a movable clock."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dossiers.models import Dossier
from dossiers.services.processing import dossier_transfer
from dossiers.services.reception import dossier_receive
from procedures.models import ProcedureVersion, WorkflowStep
from tests.dossiers.test_reception import submitted
from tthc_portal.accounts.roles import Role

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# (name, role, budget in working days, counted) — 4 working days in all.
WORKFLOW = [
    ("Tiếp nhận, chuyển hồ sơ", Role.DESK_OFFICER, Decimal("0.5"), True),
    ("Lãnh đạo phòng phân công", Role.DEPARTMENT_HEAD, Decimal("0.5"), True),
    ("Chuyên viên thẩm định", Role.SPECIALIST, Decimal("2"), True),
    ("Lãnh đạo ký duyệt", Role.DEPARTMENT_HEAD, Decimal("1"), True),
    ("Trả kết quả", Role.DESK_OFFICER, Decimal("0"), False),
]


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


class Clock:
    """``timezone.now()`` under the test's control."""

    def __init__(self, monkeypatch) -> None:
        self.now = at(2025, 3, 3, 9, 0)
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)

    def set(self, *args) -> datetime:
        self.now = at(*args)
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def workflow_procedure(online_procedure):
    """The online procedure with a 4-working-day limit and the workflow above."""
    version = online_procedure.current_version
    ProcedureVersion.objects.filter(pk=version.pk).update(
        time_limit=Decimal(4), time_unit="working_days", time_kind="simple",
        deadline_mode="working_hours", cutoff_time=None,
    )  # fmt: skip
    WorkflowStep.objects.filter(version=version).delete()
    for order, (name, role, budget, counted) in enumerate(WORKFLOW, start=1):
        WorkflowStep.objects.create(
            version=version, order=order, name=name, actor_role=role, budget=budget,
            counted=counted,
        )  # fmt: skip
    online_procedure.refresh_from_db()
    return online_procedure


def received(users, procedure, clock: Clock, *when) -> Dossier:
    clock.set(*when)
    return dossier_receive(actor=users["motcua.tuphap"], dossier=submitted(users, procedure))


def in_processing(users, procedure, clock: Clock, *when) -> Dossier:
    dossier = received(users, procedure, clock, *when)
    return dossier_transfer(actor=users["motcua.tuphap"], dossier=dossier)
