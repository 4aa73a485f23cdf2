"""Issue #15: each open step carries a copy of its dossier's due instant (and
its own due-soon instant), so the worklist's light joins no dossier row. The
copy follows the dossier through an apology, a supplement's pause and
resumption, and a calendar edit; a completed dossier's return step has none."""

from __future__ import annotations

import pytest

from dossiers.models import Dossier, DossierStep
from dossiers.services.apology import apology_issue
from dossiers.services.deadlines import due_soon_hours, working_hours_before
from dossiers.services.decisions import supplement_draft, supplement_issue
from dossiers.services.processing import step_complete
from dossiers.services.submission import dossier_supplement
from tests.dossiers.processing import at, in_processing
from tthc_portal.workdays.services import calendar_exception_save, get_calendar

pytestmark = pytest.mark.django_db
ITEMS = [{"name": "Bản sao quyết định bổ nhiệm", "reason": "Bản sao không rõ nét"}]


def assert_copies(dossier: Dossier) -> None:
    dossier.refresh_from_db()
    steps = list(DossierStep.objects.filter(dossier=dossier, completed_at__isnull=True))
    assert steps
    for step in steps:
        assert step.dossier_due_at == dossier.due_at
        expected = (
            None
            if step.due_at is None
            else working_hours_before(step.due_at, due_soon_hours(), get_calendar())
        )
        assert step.due_soon_at == expected


def test_the_copy_follows_apology_supplement_and_calendar(
    users, workflow_procedure, clock, django_capture_on_commit_callbacks
):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    assert_copies(dossier)
    specialist = step_complete(
        actor=users["lanhdao.tuphap"], step=dossier.current_step,
        assignee=users["chuyenvien.tuphap"],
    )  # fmt: skip
    assert_copies(dossier)

    clock.set(2025, 3, 4, 9, 0)
    apology_issue(actor=users["lanhdao.tuphap"], dossier=dossier, reason="Chờ xác minh",
                  new_due_at=at(2025, 3, 14, 17, 0))  # fmt: skip
    assert_copies(dossier)
    assert dossier.due_at == at(2025, 3, 14, 17, 0) and dossier.apology_ask_at is None

    clock.set(2025, 3, 4, 14, 0)
    request = supplement_draft(actor=users["chuyenvien.tuphap"], dossier=dossier, items=ITEMS)
    supplement_issue(actor=users["lanhdao.tuphap"], request=request)
    dossier.refresh_from_db()
    assert dossier.due_at is None and dossier.due_soon_at is None
    specialist.refresh_from_db()
    assert specialist.paused and specialist.dossier_due_at is None

    clock.set(2025, 3, 6, 10, 0)
    dossier_supplement(actor=users["001085012345"], dossier=dossier)
    assert_copies(dossier)
    assert dossier.due_at > at(2025, 3, 14, 17, 0)  # moved by the paused time

    # A day off inside the pause: less working time was paused, the due moves back.
    due_before = dossier.due_at
    with django_capture_on_commit_callbacks(execute=True):
        calendar_exception_save(
            actor=users["quantri"], day=at(2025, 3, 5, 0, 0).date(), kind="day_off",
            name="Nghỉ đột xuất",
        )  # fmt: skip
    assert_copies(dossier)
    assert dossier.due_at != due_before
