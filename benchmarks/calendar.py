"""Working-day arithmetic: how many appointment dates per second."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from .harness import report


def _rate(seconds: float, count: int = 20000) -> str:
    return f"{count / seconds:,.0f} per second ({seconds * 1e6 / count:.1f} µs each)"


def run() -> None:
    from tthc_portal.workdays.calendar import DeadlineMode, DeadlineRule, Pause, TimeUnit
    from tthc_portal.workdays.services import calendar_load_file, get_calendar

    calendar_load_file()
    calendar = get_calendar()
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    rng = random.Random(766)
    base = datetime(2023, 1, 2, tzinfo=tz)
    starts = [base + timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60)) for _ in range(20000)]
    rules = [
        DeadlineRule(Decimal(rng.choice([1, 3, 5, 10, 15, 22, 45])), TimeUnit.WORKING_DAYS,
                     rng.choice([DeadlineMode.WORKING_HOURS, DeadlineMode.WHOLE_DAY]))
        for _ in range(20000)
    ]  # fmt: skip
    start = time.perf_counter()
    for received, rule in zip(starts, rules, strict=True):
        calendar.due_at(received, rule)
    plain = time.perf_counter() - start
    start = time.perf_counter()
    for received, rule in zip(starts, rules, strict=True):
        pause = Pause(received + timedelta(days=2), received + timedelta(days=6))
        calendar.due_at(received, rule, [pause])
    paused = time.perf_counter() - start
    report(
        "Calendar: appointment dates (20,000 random dossiers, 2023-2026, 1-45 working days)",
        [
            ("without pauses", _rate(plain)),
            ("with one supplement pause", _rate(paused)),
        ],
    )  # fmt: skip
