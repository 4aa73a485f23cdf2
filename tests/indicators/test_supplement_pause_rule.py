"""Criterion 2.1 and the supplement pause: one rule per due-date setting (issue 14, item 5).

- Original appointment: deadline = original due + the calendar time waited for the
  citizen (the national "end time minus supplement time").
- Current appointment: deadline = the stored due date, which the lifecycle already
  moved by the same pause in working time — before the fix the pause was added a
  second time, so a dossier finished days after its moved due date counted on time.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from dossiers.models import ClockPause, Status
from dossiers.services.deadlines import compute_due, snapshot_rule
from indicators import engine
from indicators.models import DueField, IndexRuleSet
from tests.indicators.conftest import END, START, at
from tthc_portal.workdays.services import get_calendar

pytestmark = pytest.mark.django_db


def _21(commune):
    row = next(
        r for r in engine.compute(START, END, [commune.pk]) if r.code == "2.1" and r.agency_id
    )
    return row.numerator, row.denominator


def _dossier_with_pause(build, finished_after_due: timedelta, *, after_original: bool = False):
    """Received Thu 20/03/2025, asked for papers on Fri 21/03 09:00, papers back Mon
    24/03 09:00 (three calendar days, one working day), due date as the lifecycle
    computes it, finished ``finished_after_due`` after that moved due date (or after
    the original due date)."""
    received = at(3, 20)
    dossier = build.dossier(
        received_at=received, due_at=None, status=Status.RETURNED, completed_at=received, channel=1
    )
    dossier.original_due_at = None
    snapshot_rule(dossier)
    dossier.original_due_at = compute_due(dossier, at_receipt=True)
    requested, completed = at(3, 21), at(3, 24)
    build.supplement(dossier, requested, completed)
    ClockPause.objects.create(dossier=dossier, started_at=requested, ended_at=completed)
    dossier.due_at = compute_due(dossier)
    base = dossier.original_due_at if after_original else dossier.due_at
    dossier.completed_at = base + finished_after_due
    dossier.save()
    # The lifecycle moves the due date by the paused working time: one working day
    # (Fri 11/04 → Mon 14/04 on the official calendar: Giỗ Tổ 07/04 is a holiday).
    moved = get_calendar().add_working_hours(dossier.original_due_at, 8)
    assert dossier.due_at == moved
    return dossier


def test_current_due_date_is_not_moved_twice(commune, build) -> None:
    IndexRuleSet.objects.update(due_field=DueField.CURRENT)
    _dossier_with_pause(build, timedelta(days=1))  # a day late on its moved due date
    _dossier_with_pause(build, -timedelta(minutes=1))  # just in time
    assert _21(commune) == (1, 2)


def test_original_due_date_adds_the_calendar_time_waited(commune, build) -> None:
    IndexRuleSet.objects.update(due_field=DueField.ORIGINAL)
    # Three calendar days waited: original + 3 days is the limit, whatever the
    # working-day move of the stored due date.
    late = _dossier_with_pause(build, timedelta(days=3, hours=1), after_original=True)
    on_time = _dossier_with_pause(build, timedelta(days=3, minutes=-1), after_original=True)
    waited = timedelta(days=3)
    assert late.completed_at > late.original_due_at + waited
    assert on_time.completed_at <= on_time.original_due_at + waited
    assert _21(commune) == (1, 2)
