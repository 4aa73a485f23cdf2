"""Property tests of the working-time walk on the official 2023–2026 calendar.

The calendar is built straight from holidays-vn.json (no database), once, so
hypothesis can run hundreds of examples in a second or two.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from tthc_portal.workdays.calendar import DeadlineMode, DeadlineRule, Pause, TimeUnit, WorkCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _official_calendar() -> WorkCalendar:
    data = json.loads(Path(settings.TTHC["HOLIDAYS_FILE"]).read_text(encoding="utf-8"))
    return WorkCalendar({date.fromisoformat(e["date"]): e["kind"] for e in data["entries"]})


CAL = _official_calendar()
EPOCH = datetime(2023, 1, 1, tzinfo=VN)
LAST_MINUTE = int((datetime(2026, 12, 31, 23, 59, tzinfo=VN) - EPOCH).total_seconds() // 60)
MAX_BUDGET_MINUTES = 60 * 8 * 60  # the longest legal limit seen: 60 working days

instants = st.integers(0, LAST_MINUTE).map(lambda m: EPOCH + timedelta(minutes=m))
budgets = st.integers(0, MAX_BUDGET_MINUTES).map(lambda m: timedelta(minutes=m))
positive_budgets = st.integers(1, MAX_BUDGET_MINUTES).map(lambda m: timedelta(minutes=m))
cutoffs = st.none() | st.sampled_from([time(15), time(16), time(11, 30)])
PROPS = hyp_settings(max_examples=200, deadline=None)


def _on_office_clock(instant: datetime) -> bool:
    """Inside a period of a working day, or exactly on a period's closing instant."""
    local = instant.astimezone(VN)
    return any(s <= local <= e for s, e in CAL.periods_on(local.date()))


@PROPS
@given(instants, instants, budgets)
def test_later_start_never_gives_earlier_result(a: datetime, b: datetime, x: timedelta) -> None:
    s1, s2 = min(a, b), max(a, b)
    assert CAL.add_working_time(s1, x) <= CAL.add_working_time(s2, x)


@PROPS
@given(instants, budgets, budgets)
def test_more_time_never_gives_earlier_result(s: datetime, x: timedelta, y: timedelta) -> None:
    x1, x2 = min(x, y), max(x, y)
    assert CAL.add_working_time(s, x1) <= CAL.add_working_time(s, x2)


@PROPS
@given(instants, budgets)
def test_result_is_on_the_office_clock(s: datetime, x: timedelta) -> None:
    result = CAL.add_working_time(s, x)
    assert result.tzinfo is not None
    assert _on_office_clock(result)
    assert CAL.is_working_day(result.astimezone(VN).date())


@PROPS
@given(instants, positive_budgets)
def test_positive_budget_ends_in_a_period_never_on_an_opening(s: datetime, x: timedelta) -> None:
    # 8 h from 08:00 end at 17:00, not at 08:00 next morning: a positive amount
    # always ends strictly after a period's start and at the latest on its close.
    local = CAL.add_working_time(s, x).astimezone(VN)
    assert any(start < local <= end for start, end in CAL.periods_on(local.date()))
    assert local > s


@PROPS
@given(instants, cutoffs)
def test_clock_start_is_a_working_instant_not_before_receipt(
    received: datetime, cutoff: time | None
) -> None:
    start = CAL.clock_start(received, cutoff)
    assert start >= received
    assert CAL.is_working_instant(start)
    # Nothing workable is skipped without a cut-off.
    if cutoff is None:
        assert CAL.working_time_between(received, start) == timedelta(0)


@PROPS
@given(instants, cutoffs, budgets)
def test_round_trip_from_clock_start(received: datetime, cutoff: time | None, x: timedelta) -> None:
    start = CAL.clock_start(received, cutoff)
    assert CAL.working_time_between(start, CAL.add_working_time(start, x)) == x


@PROPS
@given(instants, budgets)
def test_round_trip_from_any_instant(s: datetime, x: timedelta) -> None:
    assert CAL.working_time_between(s, CAL.add_working_time(s, x)) == x


@PROPS
@given(instants, budgets, positive_budgets)
def test_adding_in_two_steps_equals_adding_the_sum(s: datetime, a: timedelta, b: timedelta) -> None:
    # Per-step budgets chained one after another must end where the dossier
    # budget ends. b > 0: adding nothing to a closing instant moves it to the
    # next opening, which is the same office time but not the same instant.
    intermediate = CAL.add_working_time(s, a)
    assert CAL.add_working_time(intermediate, b) == CAL.add_working_time(s, a + b)


@PROPS
@given(instants, budgets, budgets)
def test_two_steps_cover_the_same_office_time(s: datetime, a: timedelta, b: timedelta) -> None:
    two_steps = CAL.add_working_time(CAL.add_working_time(s, a), b)
    assert CAL.working_time_between(s, two_steps) == a + b


@PROPS
@given(
    instants,
    st.integers(1, 60),
    st.integers(0, 30 * 24 * 60),
    st.integers(0, 20 * 24 * 60),
)
def test_pause_adds_exactly_its_working_time(
    received: datetime, days: int, pause_offset: int, pause_minutes: int
) -> None:
    rule = DeadlineRule(Decimal(days), TimeUnit.WORKING_DAYS, DeadlineMode.WORKING_HOURS)
    pause_start = received + timedelta(minutes=pause_offset)
    pause = Pause(pause_start, pause_start + timedelta(minutes=pause_minutes))
    base = CAL.due_at(received, rule)
    due = CAL.due_at(received, rule, [pause])
    assert base is not None and due is not None
    paused = CAL.working_time_between(pause.start, pause.end)
    assert due >= base
    assert CAL.working_time_between(base, due) == paused
    if paused == timedelta(0):
        assert due == base
    assert _on_office_clock(due)


@PROPS
@given(instants, st.integers(1, 60), st.integers(1, 20 * 24 * 60))
def test_whole_day_pause_ends_at_a_close(received: datetime, days: int, pause_minutes: int) -> None:
    rule = DeadlineRule(Decimal(days), TimeUnit.WORKING_DAYS, DeadlineMode.WHOLE_DAY)
    pause = Pause(received, received + timedelta(minutes=pause_minutes))
    base = CAL.due_at(received, rule)
    due = CAL.due_at(received, rule, [pause])
    assert base is not None and due is not None
    paused = CAL.working_time_between(pause.start, pause.end)
    assert due == CAL.closing_of(due.astimezone(VN).date())
    assert CAL.is_working_day(due.astimezone(VN).date())
    # Rounded up to whole days: at least the paused time, less than a day more.
    extra = CAL.working_time_between(base, due)
    assert paused <= extra < paused + CAL.day_length


@PROPS
@given(instants, st.integers(0, 60))
def test_whole_day_mode_is_never_earlier_than_hours_mode(received: datetime, days: int) -> None:
    hours = CAL.due_at(received, DeadlineRule(Decimal(days), TimeUnit.WORKING_DAYS))
    whole = CAL.due_at(
        received, DeadlineRule(Decimal(days), TimeUnit.WORKING_DAYS, DeadlineMode.WHOLE_DAY)
    )
    assert hours is not None and whole is not None
    assert hours <= whole
    assert whole == CAL.closing_of(whole.astimezone(VN).date())
