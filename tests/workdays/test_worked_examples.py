"""dossier-lifecycle §10 worked examples, against the official calendar in the database.

Every expected date below is copied from the spec, so a change in the
arithmetic or a lost holiday row shows up as a wrong appointment date.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tthc_portal.workdays.calendar import (
    DeadlineMode,
    DeadlineRule,
    Pause,
    TimeUnit,
    WorkCalendar,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CUTOFF = time(15, 0)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def working_days(
    limit: str | int, mode: DeadlineMode = DeadlineMode.WORKING_HOURS, cutoff: time | None = None
) -> DeadlineRule:
    return DeadlineRule(Decimal(limit), TimeUnit.WORKING_DAYS, mode, cutoff)


# --- Example 1: 5 working days across Tết 2025 ------------------------------------


def test_example1_working_hours_mode_skips_tet_2025(holiday_calendar: WorkCalendar) -> None:
    due = holiday_calendar.due_at(at(2025, 1, 24, 10), working_days(5))
    assert due == at(2025, 2, 7, 10)


def test_example1_hour_breakdown(holiday_calendar: WorkCalendar) -> None:
    cal = holiday_calendar
    # Friday supplies 6 h, 03/02–06/02 another 32 h, the last 2 h run 08:00–10:00.
    assert cal.working_time_between(at(2025, 1, 24, 10), at(2025, 1, 25)) == timedelta(hours=6)
    assert cal.working_time_between(at(2025, 1, 25), at(2025, 2, 7)) == timedelta(hours=32)
    assert cal.working_time_between(at(2025, 2, 7), at(2025, 2, 7, 10)) == timedelta(hours=2)


def test_example1_whole_day_mode_ends_at_close(holiday_calendar: WorkCalendar) -> None:
    rule = working_days(5, DeadlineMode.WHOLE_DAY)
    assert holiday_calendar.due_at(at(2025, 1, 24, 10), rule) == at(2025, 2, 7, 17)


def test_example1_is_not_the_date_a_tet_blind_calendar_gives(
    holiday_calendar: WorkCalendar,
) -> None:
    blind = WorkCalendar({})
    assert blind.due_at(at(2025, 1, 24, 10), working_days(5)) == at(2025, 1, 31, 10)
    due = holiday_calendar.due_at(at(2025, 1, 24, 10), working_days(5))
    assert due is not None and due.date() != date(2025, 1, 31)


def test_example1_lists_tet_and_weekends_as_skipped(holiday_calendar: WorkCalendar) -> None:
    skipped = dict(holiday_calendar.skipped_days(at(2025, 1, 24, 10), at(2025, 2, 7, 10)))
    assert skipped == {
        date(2025, 1, 25): "weekend",
        date(2025, 1, 26): "weekend",
        date(2025, 1, 27): "holiday",
        date(2025, 1, 28): "holiday",
        date(2025, 1, 29): "holiday",
        date(2025, 1, 30): "holiday",
        date(2025, 1, 31): "holiday",
        date(2025, 2, 1): "weekend",
        date(2025, 2, 2): "weekend",
    }


# --- Example 2: same-day procedure, 15:00 cut-off, 30/4 swap -------------------------

SAME_DAY = DeadlineRule(Decimal(0), TimeUnit.SAME_DAY, cutoff=CUTOFF)


def test_example2_before_cutoff_due_same_afternoon(holiday_calendar: WorkCalendar) -> None:
    assert holiday_calendar.due_at(at(2025, 4, 29, 14, 30), SAME_DAY) == at(2025, 4, 29, 17)


def test_example2_after_cutoff_clock_starts_after_the_long_weekend(
    holiday_calendar: WorkCalendar,
) -> None:
    cal = holiday_calendar
    received = at(2025, 4, 29, 15, 20)
    # 30/04 and 01/05 holidays, 02/05 swapped day off, 03–04/05 weekend.
    assert cal.clock_start(received, CUTOFF) == at(2025, 5, 5, 8)
    assert cal.due_at(received, SAME_DAY) == at(2025, 5, 5, 17)
    assert cal.non_working_reason(date(2025, 5, 2)) == "day_off"


def test_example2_cutoff_instant_itself_is_still_today(holiday_calendar: WorkCalendar) -> None:
    assert holiday_calendar.due_at(at(2025, 4, 29, 15, 0), SAME_DAY) == at(2025, 4, 29, 17)


def test_example2_makeup_saturday_is_a_working_day(holiday_calendar: WorkCalendar) -> None:
    cal = holiday_calendar
    assert cal.is_working_day(date(2025, 4, 26))
    assert cal.clock_start(at(2025, 4, 26, 10), CUTOFF) == at(2025, 4, 26, 10)
    assert cal.due_at(at(2025, 4, 26, 10), SAME_DAY) == at(2025, 4, 26, 17)


# --- Example 3: supplement pause ---------------------------------------------------

EXAMPLE3_RECEIVED = at(2025, 3, 3, 9)
EXAMPLE3_PAUSE = Pause(at(2025, 3, 5, 14), at(2025, 3, 11, 10, 30))


def test_example3_original_due(holiday_calendar: WorkCalendar) -> None:
    assert holiday_calendar.due_at(EXAMPLE3_RECEIVED, working_days(10)) == at(2025, 3, 17, 9)


def test_example3_hours_used_before_the_pause(holiday_calendar: WorkCalendar) -> None:
    used = holiday_calendar.working_time_between(EXAMPLE3_RECEIVED, EXAMPLE3_PAUSE.start)
    assert used == timedelta(hours=20)  # 7 + 8 + 5


def test_example3_pause_is_29_5_working_hours(holiday_calendar: WorkCalendar) -> None:
    paused = holiday_calendar.paused_working_time([EXAMPLE3_PAUSE], until=at(2025, 3, 20))
    assert paused == timedelta(hours=29, minutes=30)


def test_example3_due_moves_by_the_paused_working_time(holiday_calendar: WorkCalendar) -> None:
    cal = holiday_calendar
    due = cal.due_at(EXAMPLE3_RECEIVED, working_days(10), [EXAMPLE3_PAUSE])
    assert due == at(2025, 3, 20, 15, 30)
    assert cal.working_time_between(at(2025, 3, 17, 9), due) == timedelta(hours=29, minutes=30)
    # Clock time actually consumed is still the 80 h budget.
    running = cal.working_time_between(EXAMPLE3_RECEIVED, due) - timedelta(hours=29.5)
    assert running == timedelta(hours=80)


def test_overlapping_pauses_count_once(holiday_calendar: WorkCalendar) -> None:
    # The same supplement recorded twice (e.g. a retried form) must not double the delay.
    inner = Pause(at(2025, 3, 6, 8), at(2025, 3, 7, 12))
    due = holiday_calendar.due_at(EXAMPLE3_RECEIVED, working_days(10), [EXAMPLE3_PAUSE, inner])
    assert due == at(2025, 3, 20, 15, 30)


def test_open_pause_has_no_due_time(holiday_calendar: WorkCalendar) -> None:
    open_pause = Pause(at(2025, 3, 5, 14), None)
    assert holiday_calendar.due_at(EXAMPLE3_RECEIVED, working_days(10), [open_pause]) is None
    assert (
        holiday_calendar.due_at(EXAMPLE3_RECEIVED, working_days(10), [EXAMPLE3_PAUSE, open_pause])
        is None
    )


# --- Example 4: Tết 2026 with a cut-off --------------------------------------------


@pytest.mark.parametrize("mode", list(DeadlineMode))
def test_example4_tet_2026_with_cutoff(holiday_calendar: WorkCalendar, mode: DeadlineMode) -> None:
    cal = holiday_calendar
    received = at(2026, 2, 13, 15, 30)
    assert cal.clock_start(received, CUTOFF) == at(2026, 2, 23, 8)
    assert cal.due_at(received, working_days(3, mode, CUTOFF)) == at(2026, 2, 25, 17)


def test_example4_without_cutoff_friday_afternoon_counts(holiday_calendar: WorkCalendar) -> None:
    # Without the cut-off the last 1.5 h of Friday are used: 22.5 h remain after Tết.
    due = holiday_calendar.due_at(at(2026, 2, 13, 15, 30), working_days(3))
    assert due == at(2026, 2, 25, 15, 30)


# --- Example 5: make-up Saturday 22/08/2026 -----------------------------------------


def test_example5_makeup_saturday_counts_as_day_one(holiday_calendar: WorkCalendar) -> None:
    rule = working_days(2, DeadlineMode.WHOLE_DAY)
    assert holiday_calendar.due_at(at(2026, 8, 21, 10), rule) == at(2026, 8, 24, 17)


def test_example5_ignoring_the_makeup_day_is_one_day_late(
    holiday_calendar: WorkCalendar,
) -> None:
    without_makeup = WorkCalendar(
        {d: k for d, k in holiday_calendar.exceptions.items() if k != "makeup_workday"}
    )
    rule = working_days(2, DeadlineMode.WHOLE_DAY)
    assert without_makeup.due_at(at(2026, 8, 21, 10), rule) == at(2026, 8, 25, 17)


def test_example5_working_hours_mode_also_uses_the_saturday(
    holiday_calendar: WorkCalendar,
) -> None:
    # 6 h on Friday + 8 h on the make-up Saturday + 2 h on Monday.
    due = holiday_calendar.due_at(at(2026, 8, 21, 10), working_days(2))
    assert due == at(2026, 8, 24, 10)


# --- fractional working days --------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "limit", "expected"),
    [
        (at(2025, 3, 4, 8), "0.5", at(2025, 3, 4, 12)),
        (at(2025, 3, 4, 10), "0.5", at(2025, 3, 4, 15)),  # 2 h morning + 2 h after lunch
        (at(2025, 3, 4, 11), "0.25", at(2025, 3, 4, 14)),  # 1 h + 1 h across lunch
        (at(2025, 3, 4, 13), "0.25", at(2025, 3, 4, 15)),
        (at(2025, 3, 4, 8), "1", at(2025, 3, 4, 17)),  # a full day ends at close, not 08:00
        (at(2025, 1, 24, 15), "0.5", at(2025, 2, 3, 10)),  # 2 h Friday, 2 h after Tết
        (at(2025, 3, 4, 8), "1.5", at(2025, 3, 5, 12)),
    ],
)
def test_fractional_working_days(
    holiday_calendar: WorkCalendar, received: datetime, limit: str, expected: datetime
) -> None:
    assert holiday_calendar.due_at(received, working_days(limit)) == expected


def test_fraction_equals_working_hours(holiday_calendar: WorkCalendar) -> None:
    cal = holiday_calendar
    start = at(2025, 3, 4, 10, 15)
    assert cal.add_working_days(start, Decimal("0.5")) == cal.add_working_hours(start, 4)
    assert cal.add_working_days(start, Decimal("0.25")) == cal.add_working_hours(start, 2)
    hours_rule = DeadlineRule(Decimal(4), TimeUnit.WORKING_HOURS)
    assert cal.due_at(start, hours_rule) == cal.due_at(start, working_days("0.5"))


def test_fraction_in_whole_day_mode_rounds_up_to_a_day(holiday_calendar: WorkCalendar) -> None:
    rule = working_days("0.5", DeadlineMode.WHOLE_DAY)
    assert holiday_calendar.due_at(at(2025, 3, 4, 10), rule) == at(2025, 3, 5, 17)


# --- submissions outside office hours (§9.4, §9.5) ----------------------------------


@pytest.mark.parametrize(
    ("received", "clock_start"),
    [
        (at(2025, 3, 8, 22), at(2025, 3, 10, 8)),  # Saturday night → Monday opening
        (at(2025, 3, 9, 11), at(2025, 3, 10, 8)),  # Sunday → Monday 08:00
        (at(2025, 3, 4, 7), at(2025, 3, 4, 8)),  # before opening
        (at(2025, 3, 4, 12, 30), at(2025, 3, 4, 13)),  # lunch break
        (at(2025, 3, 4, 12), at(2025, 3, 4, 13)),  # the morning's closing instant
        (at(2025, 3, 4, 17), at(2025, 3, 5, 8)),  # closing is not a valid start
        (at(2025, 3, 7, 19), at(2025, 3, 10, 8)),  # Friday evening
        (at(2025, 4, 30, 9), at(2025, 5, 5, 8)),  # on a holiday
        (at(2025, 3, 4, 9, 45), at(2025, 3, 4, 9, 45)),  # in hours: unchanged
    ],
)
def test_out_of_hours_clock_start(
    holiday_calendar: WorkCalendar, received: datetime, clock_start: datetime
) -> None:
    assert holiday_calendar.clock_start(received) == clock_start


def test_saturday_night_submission_gets_full_budget_from_monday(
    holiday_calendar: WorkCalendar,
) -> None:
    due = holiday_calendar.due_at(at(2025, 3, 8, 22), working_days(1))
    assert due == at(2025, 3, 10, 17)


def test_utc_input_is_read_in_vietnam_time(holiday_calendar: WorkCalendar) -> None:
    # 01:00 UTC is 08:00 in Hà Nội: an API client sending UTC must get the same due time.
    received = datetime(2025, 3, 4, 1, 0, tzinfo=ZoneInfo("UTC"))
    assert holiday_calendar.due_at(received, working_days(1)) == at(2025, 3, 4, 17)


def test_naive_datetimes_are_refused(holiday_calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        holiday_calendar.clock_start(datetime(2025, 3, 4, 9))


# --- immediate and calendar-day units -----------------------------------------------

IMMEDIATE = DeadlineRule(Decimal(0), TimeUnit.IMMEDIATE)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (at(2025, 3, 4, 10), at(2025, 3, 4, 11)),
        (at(2025, 3, 4, 11, 30), at(2025, 3, 4, 13, 30)),  # grace straddles lunch
        (at(2025, 3, 4, 16, 30), at(2025, 3, 5, 8, 30)),
        (at(2025, 1, 24, 16, 30), at(2025, 2, 3, 8, 30)),  # straddles Tết
        (at(2025, 3, 8, 10), at(2025, 3, 10, 9)),  # Saturday → grace from Monday opening
    ],
)
def test_immediate_unit_has_one_working_hour_grace(
    holiday_calendar: WorkCalendar, received: datetime, expected: datetime
) -> None:
    assert holiday_calendar.due_at(received, IMMEDIATE) == expected


@pytest.mark.parametrize(
    ("received", "days", "expected"),
    [
        (at(2025, 3, 3, 9), 3, at(2025, 3, 6, 17)),  # lands on a working Thursday
        (at(2025, 3, 3, 9), 5, at(2025, 3, 10, 17)),  # Saturday → Monday
        (at(2025, 1, 24, 10), 5, at(2025, 2, 3, 17)),  # 29/01 is Tết → 03/02
        (at(2025, 4, 25, 10), 5, at(2025, 5, 5, 17)),  # 30/04 holiday → after 02/05 swap
        (at(2025, 4, 21, 10), 5, at(2025, 4, 26, 17)),  # make-up Saturday is a working day
    ],
)
def test_calendar_days_unit_moves_off_days_to_next_working_day(
    holiday_calendar: WorkCalendar, received: datetime, days: int, expected: datetime
) -> None:
    rule = DeadlineRule(Decimal(days), TimeUnit.CALENDAR_DAYS)
    assert holiday_calendar.due_at(received, rule) == expected


def test_working_hours_unit(holiday_calendar: WorkCalendar) -> None:
    rule = DeadlineRule(Decimal(8), TimeUnit.WORKING_HOURS)
    # 8 working hours from Friday 16:00 before Tết: 1 h Friday, 7 h on 03/02.
    assert holiday_calendar.due_at(at(2025, 1, 24, 16), rule) == at(2025, 2, 3, 16)
