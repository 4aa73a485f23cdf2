"""Period boundaries (indicators-766.md §5): calendar months or 15th–14th."""

from __future__ import annotations

import datetime
import re

PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def month_period(label: str, start_day: int = 1) -> tuple[datetime.date, datetime.date]:
    """'2025-05' → (first day, last day), both included.

    ``start_day`` 1: the calendar month; 15: 15/04/2025–14/05/2025 (the month
    named is the one the period ends in, as in Government periodic reports).
    """
    match = PERIOD.match(label or "")
    if not match:
        raise ValueError(f"period must look like 2025-05, not {label!r}")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month}")
    first_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
    if start_day <= 1:
        return datetime.date(year, month, 1), first_next - datetime.timedelta(days=1)
    previous = datetime.date(year, month, 1) - datetime.timedelta(days=1)
    start = previous.replace(day=start_day)
    return start, datetime.date(year, month, start_day - 1)
