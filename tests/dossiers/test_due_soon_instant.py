"""Issue #16 item 3: the due-soon instant stored next to a due instant says
exactly what the run-time horizon said — ``due <= add_working_hours(now, N)``
holds from ``working_hours_before(due, N)`` on, and not one tick earlier —
across lunch, nights, weekends, holidays, make-up days and due instants
outside office hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from dossiers.services.deadlines import working_hours_before
from tthc_portal.workdays.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TICK = timedelta(microseconds=1)
# A holiday week (Tết 2025), a single day off and a Saturday make-up day.
CALENDAR = WorkCalendar(
    {
        **{date(2025, 1, 27) + timedelta(days=i): "holiday" for i in range(5)},
        date(2025, 3, 5): "day_off",
        date(2025, 3, 8): "makeup",
    }
)
START = datetime(2025, 1, 15, tzinfo=TZ)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def horizon_holds(now: datetime, due: datetime, hours: float) -> bool:
    """The sweep's former run-time rule."""
    return due <= CALENDAR.add_working_hours(now, hours)


def test_a_working_day_before_a_due_instant_inside_office_hours():
    # Due Fri 09:00: 8 working hours back is Thu 09:00.
    assert working_hours_before(at(2025, 3, 7, 9, 0), 8, CALENDAR) == at(2025, 3, 6, 9, 0)
    # Due at a closing: the opening of that day is reached exactly, so the
    # warning starts at the previous closing (nothing is worked in between).
    assert working_hours_before(at(2025, 3, 7, 17, 0), 8, CALENDAR) == at(2025, 3, 6, 17, 0)
    # Across the day off (Wed 05/03): from Thu 10:00, 8 h back → Tue 10:00.
    assert working_hours_before(at(2025, 3, 6, 10, 0), 8, CALENDAR) == at(2025, 3, 4, 10, 0)
    # Across Tết: due Mon 03/02 10:00, 3 h back (Mon 2 h, Fri 1 h) → Fri 24/01 16:00.
    assert working_hours_before(at(2025, 2, 3, 10, 0), 3, CALENDAR) == at(2025, 1, 24, 16, 0)


def test_a_due_instant_outside_office_hours_is_reached_one_tick_later():
    # Due Tue 18:00: add_working_hours(Tue 08:00, 8) is Tue 17:00 (< due), one
    # tick later it is Wed 08:00 and a tick (≥ due).
    due = at(2025, 3, 4, 18, 0)
    soon = working_hours_before(due, 8, CALENDAR)
    assert soon == at(2025, 3, 4, 8, 0) + TICK
    assert horizon_holds(soon, due, 8) and not horizon_holds(soon - TICK, due, 8)


@settings(max_examples=300, deadline=None)
@given(
    due_minutes=st.integers(min_value=0, max_value=60 * 24 * 60),
    hours=st.sampled_from([1, 3, 8, 16, 2.5]),
    offset_minutes=st.integers(min_value=-60 * 24 * 8, max_value=60 * 24 * 2),
)
def test_the_stored_instant_is_the_run_time_horizon(due_minutes, hours, offset_minutes):
    due = START + timedelta(minutes=due_minutes)
    soon = working_hours_before(due, hours, CALENDAR)
    # The boundary is exact…
    assert horizon_holds(soon, due, hours)
    assert not horizon_holds(soon - TICK, due, hours)
    # …and any clock reading agrees with the comparison the sweep makes.
    now = soon + timedelta(minutes=offset_minutes)
    assert horizon_holds(now, due, hours) == (soon <= now)
