"""Working time as integers, on top of the real calendar.

Generating a million dossiers means tens of millions of deadline and step
computations. Walking ``WorkCalendar`` for each one would take hours, so the
generator places every instant on a *working-minute axis*: minute ``w`` is
``w % day_minutes`` minutes into the office hours of the ``w // day_minutes``-th
working day. Adding working time is then integer addition; the result is
turned back into a datetime with the calendar's own conventions (a deadline
may end on a period's closing instant, a start never does).

The axis is built from ``get_calendar()`` (holidays, swaps, make-up Saturdays,
configured office hours) and ``self_check`` compares it with the calendar's
own arithmetic before any row is written, so the two can never drift apart.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from tthc_portal.workdays.calendar import WorkCalendar


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


class WorkingClock:
    def __init__(self, calendar: WorkCalendar, first: date, last: date) -> None:
        self.calendar = calendar
        self.tz = calendar.tz
        self.days: list[date] = []
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)
        self.index = {d: i for i, d in enumerate(self.days)}
        # (offset on the axis within the day, clock minute of the day, length)
        self.periods: list[tuple[int, int, int]] = []
        offset = 0
        for start, end in calendar.office_hours:
            length = _minutes(end) - _minutes(start)
            self.periods.append((offset, _minutes(start), length))
            offset += length
        self.day_minutes = offset
        self._start: dict[int, datetime] = {}
        self._end: dict[int, datetime] = {}

    # --- axis → datetime ----------------------------------------------------------
    def _at(self, day_index: int, minute: int) -> datetime:
        day = self.days[day_index]
        return datetime.combine(day, time(minute // 60, minute % 60), self.tz)

    def start(self, w: int) -> datetime:
        """The instant work can start at ``w`` (a period's opening, never its close)."""
        cached = self._start.get(w)
        if cached is None:
            day_index, rest = divmod(w, self.day_minutes)
            for offset, clock, length in self.periods:
                if rest < offset + length:
                    cached = self._at(day_index, clock + rest - offset)
                    break
            self._start[w] = cached
        return cached

    def end(self, w: int) -> datetime:
        """The instant a span of working time ending at ``w`` ends (closing instants kept)."""
        cached = self._end.get(w)
        if cached is None:
            day_index, rest = divmod(w, self.day_minutes)
            if rest == 0:
                day_index, rest = day_index - 1, self.day_minutes
            for offset, clock, length in self.periods:
                if rest <= offset + length:
                    cached = self._at(day_index, clock + rest - offset)
                    break
            self._end[w] = cached
        return cached

    # --- datetime → axis -------------------------------------------------------------
    def at_or_after(self, instant: datetime) -> int:
        """The axis minute of the next instant work can start (``next_opening``)."""
        local = instant.astimezone(self.tz)
        day = local.date()
        minute = local.hour * 60 + local.minute + (1 if local.second or local.microsecond else 0)
        index = self.index.get(day)
        if index is not None:
            for offset, clock, length in self.periods:
                if minute < clock + length:
                    return index * self.day_minutes + offset + max(0, minute - clock)
        return self.first_day_after(day) * self.day_minutes

    def first_day_after(self, day: date) -> int:
        """Index of the first working day strictly after ``day``."""
        low, high = 0, len(self.days)
        while low < high:
            middle = (low + high) // 2
            if self.days[middle] <= day:
                low = middle + 1
            else:
                high = middle
        if low >= len(self.days):
            raise ValueError(f"{day} is beyond the generator's calendar horizon")
        return low

    def closing(self, w_end: int) -> int:
        """Close of office hours on the day a span ending at ``w_end`` ends."""
        return -(-w_end // self.day_minutes) * self.day_minutes

    def day_of(self, w: int) -> date:
        return self.days[w // self.day_minutes]

    # --- verification -------------------------------------------------------------------
    def self_check(self, rng: random.Random, samples: int = 300) -> None:
        """Compare integer arithmetic with the calendar's own walk; raise on any drift."""
        calendar = self.calendar
        horizon = (len(self.days) - 130) * self.day_minutes
        for _ in range(samples):
            w = rng.randrange(0, horizon)
            minutes = rng.choice([0, 1, 15, 60, 240, 480, 481, 2400, 9600, 24000])
            start = self.start(w)
            if calendar.next_opening(start) != start:
                raise AssertionError(f"axis minute {w} maps outside office hours: {start}")
            expected = calendar.add_working_time(start, timedelta(minutes=minutes))
            got = self.end(w + minutes) if minutes else self.start(w)
            if expected != got:
                raise AssertionError(f"working-time drift at {start} + {minutes} min: {got}")
            if self.at_or_after(start) != w:
                raise AssertionError(f"round trip drift at {start}")
            if calendar.working_time_between(start, got) != timedelta(minutes=minutes):
                raise AssertionError(f"working-time measure drift at {start}")
