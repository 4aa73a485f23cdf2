"""Issue #15 item 2: editing the holiday calendar computes again the stored
deadlines of the open dossiers and steps whose window spans the edited day —
due times, the dossiers' due-soon / overdue flags and the steps' lights —
writes audit events, and leaves
closed dossiers and dossiers outside the window alone."""

from __future__ import annotations

from datetime import date

import pytest

from dossiers.models import Dossier, DossierStep, Status
from dossiers.selectors_processing import light_annotation
from dossiers.services.calendar_recompute import affected_dossier_ids
from dossiers.services.overdue import deadlines_sweep
from dossiers.services.processing import step_complete
from tests.dossiers.processing import at, in_processing
from tthc_portal.audit.models import AuditEvent
from tthc_portal.workdays.services import (
    calendar_exception_delete,
    calendar_exception_save,
    get_calendar,
)

pytestmark = pytest.mark.django_db
WEDNESDAY = date(2025, 3, 5)


def _light(step: DossierStep, now) -> str:
    return DossierStep.objects.annotate(light=light_annotation(now)).get(pk=step.pk).light


def runs_for_wednesday() -> int:
    runs = AuditEvent.objects.filter(action="calendar.deadlines_recomputed")
    return sum(run.after["days"] == [WEDNESDAY.isoformat()] for run in runs)


@pytest.fixture
def dossiers(users, workflow_procedure, clock):
    """Received Mon 03/03/2025 09:00 with 4 working days: due Fri 07/03 09:00."""
    open_one = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    closed = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    later = in_processing(users, workflow_procedure, clock, 2025, 3, 6, 9, 0)
    clock.set(2025, 3, 3, 12, 30)
    specialist = step_complete(
        actor=users["lanhdao.tuphap"], step=open_one.current_step,
        assignee=users["chuyenvien.tuphap"],
    )  # fmt: skip
    # 16 working hours from Mon 12:30 (lunch until 13:00) → Wed 12:00.
    assert specialist.due_at == at(2025, 3, 5, 12, 0)
    # The closed one had its result: its deadlines are history.
    Dossier.objects.filter(pk=closed.pk).update(
        status=Status.RETURNED, completed_at=at(2025, 3, 4, 10, 0)
    )
    DossierStep.objects.filter(dossier=closed, completed_at__isnull=True).update(
        completed_at=at(2025, 3, 4, 10, 0)
    )
    # Thursday 10:00: the sweep flags the dossier due soon (horizon Fri 09:00)
    # and the specialist's step overdue.
    clock.set(2025, 3, 6, 10, 0)
    deadlines_sweep()
    for record in (open_one, closed, later):
        record.refresh_from_db()
    specialist.refresh_from_db()
    assert open_one.due_at == open_one.original_due_at == at(2025, 3, 7, 9, 0)
    assert open_one.due_soon and not open_one.is_overdue
    assert _light(specialist, clock.now) == "overdue"
    return open_one, specialist, closed, later


def test_a_new_day_off_recomputes_what_it_spans(
    users, dossiers, clock, django_capture_on_commit_callbacks
):
    open_one, specialist, closed, later = dossiers
    later_due = later.due_at
    closed_due = (closed.due_at, closed.original_due_at)
    assert affected_dossier_ids([WEDNESDAY], get_calendar()) == [open_one.pk, later.pk]

    with django_capture_on_commit_callbacks(execute=True):
        calendar_exception_save(
            actor=users["quantri"], day=WEDNESDAY, kind="day_off", name="Nghỉ đột xuất"
        )

    open_one.refresh_from_db()
    specialist.refresh_from_db()
    # One working day later, computed from receipt on the edited calendar.
    assert open_one.due_at == at(2025, 3, 10, 9, 0)
    assert open_one.original_due_at == at(2025, 3, 10, 9, 0)
    # Thu 10:00: Monday 09:00 is beyond the 8-working-hour horizon.
    assert not open_one.due_soon and not open_one.is_overdue
    # The step: from its start and budget again, Wednesday skipped → Thu 12:00.
    assert specialist.due_at == at(2025, 3, 6, 12, 0)
    assert _light(specialist, clock.now) == "due_soon"

    closed.refresh_from_db()
    later.refresh_from_db()
    assert (closed.due_at, closed.original_due_at) == closed_due
    assert later.due_at == later_due

    moved = AuditEvent.objects.get(action="dossier.deadline_recomputed")
    assert moved.target_id == str(open_one.pk)
    assert moved.before["due_at"].startswith("2025-03-07")
    assert moved.after["due_at"].startswith("2025-03-10")
    assert moved.after["calendar_days"] == ["2025-03-05"]
    run = AuditEvent.objects.filter(action="calendar.deadlines_recomputed").latest("pk")
    assert run.after == {
        "days": ["2025-03-05"], "dossiers_read": 2, "dossiers_changed": 1, "steps_changed": 2,
    }  # fmt: skip


def test_removing_the_day_off_brings_the_deadlines_back(
    users, dossiers, clock, django_capture_on_commit_callbacks
):
    open_one, specialist, _closed, _later = dossiers
    with django_capture_on_commit_callbacks(execute=True):
        exception = calendar_exception_save(
            actor=users["quantri"], day=WEDNESDAY, kind="day_off", name="Nghỉ đột xuất"
        )
    with django_capture_on_commit_callbacks(execute=True):
        calendar_exception_delete(actor=users["quantri"], exception=exception)
    open_one.refresh_from_db()
    specialist.refresh_from_db()
    assert open_one.due_at == open_one.original_due_at == at(2025, 3, 7, 9, 0)
    assert open_one.due_soon
    assert specialist.due_at == at(2025, 3, 5, 12, 0)
    assert _light(specialist, clock.now) == "overdue"
    assert runs_for_wednesday() == 2


def test_a_renamed_day_moves_nothing(users, dossiers, django_capture_on_commit_callbacks):
    open_one, _specialist, _closed, _later = dossiers
    with django_capture_on_commit_callbacks(execute=True):
        calendar_exception_save(actor=users["quantri"], day=WEDNESDAY, kind="day_off", name="A")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        calendar_exception_save(actor=users["quantri"], day=WEDNESDAY, kind="day_off", name="B")
    assert runs_for_wednesday() == 1
    assert len(callbacks) == 1  # the calendar's own refresh only
    open_one.refresh_from_db()
    assert open_one.due_at == at(2025, 3, 10, 9, 0)
