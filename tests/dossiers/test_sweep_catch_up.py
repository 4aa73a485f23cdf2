"""Issue #16 item 3: the sweep is one compare-and-set per flag against the
instants stored with each due instant. A run after a working day without
sweeps leaves exactly the flags (and apology questions) that hourly runs
would have left; a second run flips nothing and notifies nobody."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dossiers.models import Dossier, DossierStep, SweepMark
from dossiers.services.deadlines import apology_ask_hours, due_soon_hours, working_hours_before
from dossiers.services.overdue import MARK, deadlines_sweep
from tests.dossiers.processing import at, in_processing
from tthc_portal.notifications.models import OutboxMessage
from tthc_portal.workdays.services import get_calendar

pytestmark = pytest.mark.django_db


def _state() -> dict:
    """Every flag the sweep raises, per row (whether the head was asked); steps
    have none (their light is read from their instants)."""
    rows = Dossier.objects.order_by("pk").values_list(
        "pk", "due_soon", "is_overdue", "apology_requested_at"
    )
    return {"dossiers": [(pk, soon, overdue, asked is None) for pk, soon, overdue, asked in rows]}


def _reset(state_before_gap: dict) -> None:
    """Put the flags back as they stood before the gap (as if no sweep ran)."""
    for pk, soon, overdue, not_asked in state_before_gap["dossiers"]:
        Dossier.objects.filter(pk=pk).update(due_soon=soon, is_overdue=overdue)
        if not_asked:
            Dossier.objects.filter(pk=pk).update(apology_requested_at=None)


@pytest.fixture
def spread(users, workflow_procedure, clock):
    """Dossiers due Fri 07/03 09:00, Fri 14:00, Mon 10/03 10:00 (4 working days
    each), their steps due at many instants in between."""
    return [
        in_processing(users, workflow_procedure, clock, *when)
        for when in ((2025, 3, 3, 9, 0), (2025, 3, 3, 14, 0), (2025, 3, 4, 10, 0))
    ]


def test_the_stored_instants_are_the_calendars(spread):
    calendar = get_calendar()
    for dossier in spread:
        dossier.refresh_from_db()
        assert dossier.due_soon_at == working_hours_before(dossier.due_at, due_soon_hours(),
                                                           calendar)  # fmt: skip
        assert dossier.apology_ask_at == working_hours_before(
            dossier.due_at, apology_ask_hours(), calendar
        )
        step = DossierStep.objects.get(pk=dossier.current_step_id)
        assert step.due_soon_at == working_hours_before(step.due_at, due_soon_hours(), calendar)
        assert step.dossier_due_at == dossier.due_at


def test_a_run_after_a_day_without_sweeps_flags_what_hourly_runs_would(spread, clock):
    # The last run before a working day without sweeps (Thu 09:00 → Fri 10:00).
    # An apology question is asked while one can still be issued: the heads of
    # the first two dossiers were asked on Wednesday, the third's on Thursday.
    deadlines_sweep(clock.set(2025, 3, 6, 8, 30))
    before_gap = _state()
    hourly_at = at(2025, 3, 6, 9, 0)
    while hourly_at <= at(2025, 3, 7, 10, 0):
        deadlines_sweep(hourly_at)
        hourly_at += timedelta(hours=1)
    hourly = _state()
    # A working day of crossings: due soon, overdue and a question.
    assert hourly != before_gap
    assert any(soon for _pk, soon, _o, _a in hourly["dossiers"])
    assert any(overdue for _pk, _s, overdue, _a in hourly["dossiers"])
    assert any(not not_asked for _pk, _s, _o, not_asked in hourly["dossiers"])

    _reset(before_gap)
    # …and the sweep's own mark, as the last run before the gap left it.
    SweepMark.objects.filter(name=MARK).update(swept_until=at(2025, 3, 6, 8, 30))
    assert _state() == before_gap
    catch_up = deadlines_sweep(at(2025, 3, 7, 10, 0))
    assert catch_up.flipped
    assert _state() == hourly


def test_a_second_run_flips_nothing_and_notifies_nobody(spread, clock):
    first = deadlines_sweep(clock.set(2025, 3, 7, 10, 0))
    assert first.dossiers_due_soon and first.dossiers_overdue and first.apologies_requested
    messages = OutboxMessage.objects.count()
    state = _state()
    again = deadlines_sweep(clock.now)
    assert again.flipped == 0
    assert OutboxMessage.objects.count() == messages
    assert _state() == state


def test_a_deadline_recomputed_into_the_past_is_caught_by_the_next_run(spread, clock):
    dossier = spread[2]
    deadlines_sweep(clock.set(2025, 3, 5, 9, 0))
    assert not Dossier.objects.get(pk=dossier.pk).is_overdue
    # No window to remember: whatever instant a service stores, the next run
    # compares it with the clock.
    Dossier.objects.filter(pk=dossier.pk).update(due_at=at(2025, 3, 5, 8, 30))
    report = deadlines_sweep(clock.set(2025, 3, 5, 9, 5))
    assert report.dossiers_overdue == 1
    assert Dossier.objects.get(pk=dossier.pk).is_overdue
