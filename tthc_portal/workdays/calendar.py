"""Working-time arithmetic on the civil-servant calendar.

Pure Python and free of the ORM so it can be property-tested and used in bulk
(data generation, sweeps). ``services.get_calendar()`` builds one from the
database. The rules are those of dossier-lifecycle.md §9:

* a working day is Monday–Friday unless it is a holiday or a day off, plus
  any make-up working day;
* office hours are a list of periods (default 08:00–12:00, 13:00–17:00);
* a period is half-open for starting work ([start, end)) and a deadline may
  fall on its closing instant (17:00 is a valid due time, 17:00 is not a
  valid clock start).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

NON_WORKING_KINDS = frozenset({"holiday", "day_off"})
MAKEUP_KIND = "makeup_workday"
# Far enough for any legal time limit (the longest seen is 60 working days);
# guards against an infinite walk when a calendar has no working day at all.
MAX_DAYS_SCANNED = 3660


class DeadlineMode(StrEnum):
    WORKING_HOURS = "working_hours"
    WHOLE_DAY = "whole_day"


class TimeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "days"
    SAME_DAY = "same_day"
    IMMEDIATE = "immediate"


def parse_office_hours(spec: str) -> tuple[tuple[time, time], ...]:
    """Parse "08:00-12:00,13:00-17:00" into ordered, non-overlapping periods."""
    periods = []
    for chunk in spec.split(","):
        start_s, end_s = chunk.strip().split("-")
        start, end = time.fromisoformat(start_s.strip()), time.fromisoformat(end_s.strip())
        if end <= start:
            raise ValueError(f"Office period {chunk!r} ends before it starts")
        periods.append((start, end))
    periods.sort()
    for (_, prev_end), (next_start, _) in itertools.pairwise(periods):
        if next_start < prev_end:
            raise ValueError(f"Office periods overlap in {spec!r}")
    if not periods:
        raise ValueError("At least one office period is required")
    return tuple(periods)


@dataclass(frozen=True)
class Pause:
    """A paused interval of the clock; ``end`` is None while still paused."""

    start: datetime
    end: datetime | None
    reason: str = "supplement"


@dataclass(frozen=True)
class DeadlineRule:
    """The values a dossier snapshots from its procedure version."""

    limit: Decimal
    unit: TimeUnit = TimeUnit.WORKING_DAYS
    mode: DeadlineMode = DeadlineMode.WORKING_HOURS
    cutoff: time | None = None


class WorkCalendar:
    def __init__(
        self,
        exceptions: Mapping[date, str],
        office_hours: Iterable[tuple[time, time]] = ((time(8), time(12)), (time(13), time(17))),
        tz: str | ZoneInfo = "Asia/Ho_Chi_Minh",
        immediate_grace: timedelta = timedelta(hours=1),
    ) -> None:
        self.exceptions = dict(exceptions)
        self.office_hours = tuple(office_hours)
        self.tz = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        self.immediate_grace = immediate_grace
        self.day_length = sum(
            (
                datetime.combine(date.min, e) - datetime.combine(date.min, s)
                for s, e in self.office_hours
            ),
            timedelta(),
        )

    # --- days -----------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        kind = self.exceptions.get(day)
        if kind == MAKEUP_KIND:
            return True
        if kind in NON_WORKING_KINDS:
            return False
        return day.weekday() < 5

    def non_working_reason(self, day: date) -> str | None:
        """Why a day is not worked ("weekend", "holiday", "day_off"), or None."""
        if self.is_working_day(day):
            return None
        kind = self.exceptions.get(day)
        return kind if kind in NON_WORKING_KINDS else "weekend"

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        for offset in range(1, MAX_DAYS_SCANNED):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("No working day in the calendar horizon")

    def nth_working_day_after(self, day: date, n: int) -> date:
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def first_working_day_from(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    # --- instants ---------------------------------------------------------------
    def local(self, instant: datetime) -> datetime:
        if instant.tzinfo is None:
            raise ValueError("Calendar arithmetic needs timezone-aware datetimes")
        return instant.astimezone(self.tz)

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, s, self.tz), datetime.combine(day, e, self.tz))
            for s, e in self.office_hours
        ]

    def opening_of(self, day: date) -> datetime:
        return datetime.combine(day, self.office_hours[0][0], self.tz)

    def closing_of(self, day: date) -> datetime:
        return datetime.combine(day, self.office_hours[-1][1], self.tz)

    def is_working_instant(self, instant: datetime) -> bool:
        """True when work can start at ``instant`` (inside a period, [start, end))."""
        local = self.local(instant)
        return any(s <= local < e for s, e in self.periods_on(local.date()))

    def next_opening(self, instant: datetime) -> datetime:
        """The earliest instant ≥ ``instant`` at which work can start."""
        local = self.local(instant)
        day = local.date()
        for s, e in self.periods_on(day):
            if local < e:
                return max(s, local)
        return self.opening_of(self.next_working_day(day))

    def clock_start(self, received_at: datetime, cutoff: time | None = None) -> datetime:
        """When the processing clock starts for something received at ``received_at``.

        Out of office hours → the next opening (§9.4, §9.5). After the
        procedure's afternoon cut-off on a working day → the opening of the
        next working day, not the afternoon's remaining minutes.
        """
        local = self.local(received_at)
        if cutoff is not None and self.is_working_day(local.date()) and local.time() > cutoff:
            return self.opening_of(self.next_working_day(local.date()))
        return self.next_opening(local)

    # --- adding working time ------------------------------------------------------
    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """Walk ``amount`` of office time forward from ``start``.

        The result is always inside a period or on its closing instant, so
        8 working hours from 08:00 end at 17:00 the same day, not 08:00 the next.
        """
        if amount < timedelta(0):
            raise ValueError("Cannot add negative working time")
        cursor = self.next_opening(start)
        if amount == timedelta(0):
            return cursor
        remaining = amount
        day = cursor.date()
        for _ in range(MAX_DAYS_SCANNED):
            for s, e in self.periods_on(day):
                if e <= cursor:
                    continue
                begin = max(s, cursor)
                available = e - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day = self.next_working_day(day)
        raise ValueError("Working time exceeds the calendar horizon")

    def add_working_hours(self, start: datetime, hours: float | Decimal) -> datetime:
        return self.add_working_time(start, _hours(hours))

    def add_working_days(
        self,
        start: datetime,
        days: float | Decimal,
        mode: DeadlineMode = DeadlineMode.WORKING_HOURS,
    ) -> datetime:
        """Add working days; fractions allowed (0.5 day = half a day's hours).

        Working-hours mode walks ``days × day length`` of office time.
        Whole-day mode does not count the day of ``start`` and ends at the
        close of the N-th working day after it (fractions round up to a day).
        """
        if mode == DeadlineMode.WORKING_HOURS:
            return self.add_working_time(start, self.day_length * float(days))
        whole = math.ceil(Decimal(str(days)))
        local = self.local(start)
        if whole <= 0:
            return self.closing_of(self.next_opening(local).date())
        return self.closing_of(self.nth_working_day_after(local.date(), whole))

    # --- measuring --------------------------------------------------------------
    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time inside [start, end]; zero when end ≤ start."""
        if end <= start:
            return timedelta(0)
        start, end = self.local(start), self.local(end)
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            for s, e in self.periods_on(day):
                overlap = min(e, end) - max(s, start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def paused_working_time(self, pauses: Iterable[Pause], until: datetime) -> timedelta:
        """Office time covered by the pause ledger (overlaps counted once).

        An open pause runs until ``until``.
        """
        intervals = sorted((p.start, p.end if p.end is not None else until) for p in pauses)
        merged: list[list[datetime]] = []
        for s, e in intervals:
            if e <= s:
                continue
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        return sum((self.working_time_between(s, e) for s, e in merged), timedelta())

    def skipped_days(self, start: datetime, end: datetime) -> list[tuple[date, str]]:
        """Non-working days strictly between the two instants' dates, with why."""
        first, last = self.local(start).date(), self.local(end).date()
        skipped = []
        day = first + timedelta(days=1)
        while day < last:
            reason = self.non_working_reason(day)
            if reason:
                skipped.append((day, reason))
            day += timedelta(days=1)
        return skipped

    # --- deadlines ----------------------------------------------------------------
    def due_at(
        self,
        received_at: datetime,
        rule: DeadlineRule,
        pauses: Iterable[Pause] = (),
    ) -> datetime | None:
        """The appointment time for a dossier (dossier-lifecycle §9.3–9.6).

        Paused office time is added to the budget, so the due time moves by
        exactly the working time the clock stood still. While a pause is still
        open there is no due time (None): the clock is not running.
        """
        pauses = list(pauses)
        if any(p.end is None for p in pauses):
            return None
        start = self.clock_start(received_at, rule.cutoff)
        if rule.unit == TimeUnit.SAME_DAY:
            base = self.closing_of(start.date())
        elif rule.unit == TimeUnit.IMMEDIATE:
            base = self.add_working_time(start, self.immediate_grace)
        elif rule.unit == TimeUnit.WORKING_HOURS:
            base = self.add_working_hours(start, rule.limit)
        elif rule.unit == TimeUnit.CALENDAR_DAYS:
            # Civil Code arts. 147-148: the receipt day is not counted and a
            # period ending on a day off moves to the next working day.
            target = self.local(received_at).date() + timedelta(days=math.ceil(rule.limit))
            base = self.closing_of(self.first_working_day_from(target))
        elif rule.mode == DeadlineMode.WHOLE_DAY:
            base = self.add_working_days(received_at, rule.limit, DeadlineMode.WHOLE_DAY)
            base = max(base, self.closing_of(start.date()))
        else:
            base = self.add_working_days(start, rule.limit, DeadlineMode.WORKING_HOURS)
        paused = self.paused_working_time(pauses, until=base)
        if paused <= timedelta(0):
            return base
        due = self.add_working_time(base, paused)
        if rule.mode == DeadlineMode.WHOLE_DAY and rule.unit != TimeUnit.WORKING_HOURS:
            due = self.closing_of(self.local(due).date())
        return due


def _hours(hours: float | Decimal) -> timedelta:
    return timedelta(seconds=float(Decimal(str(hours)) * 3600))
