"""Period labels and boundaries (indicators-766.md §5). Pure: no database.

Labels: "2025-05" (month), "2025-Q2" (quarter), "2025" (year). Calendar
periods by default; the 15th–14th variant of Government periodic reports
is named after the month the period ends in: "2025-04" = 15/03–14/04/2025,
"2025-Q1" = 15/12/2024–14/03/2025, "2025" = 15/12/2024–14/12/2025.
"""

from __future__ import annotations

import datetime
import re

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
YEAR = re.compile(r"^(\d{4})$")
REPORTING_START_DAY = 15


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def _span(year: int, first_month: int, last_month: int, start_day: int):
    """Months first..last of ``year``; with a start day > 1 the span is shifted
    back so it starts on that day of the month before and ends the day before."""
    if start_day <= 1:
        return datetime.date(year, first_month, 1), _month_end(year, last_month)
    previous = datetime.date(year, first_month, 1) - datetime.timedelta(days=1)
    return previous.replace(day=start_day), datetime.date(year, last_month, start_day - 1)


def month_period(label: str, start_day: int = 1) -> tuple[datetime.date, datetime.date]:
    """'2025-05' → (first day, last day), both included.

    ``start_day`` 1: the calendar month; 15: 15/04/2025–14/05/2025 (the month
    named is the one the period ends in, as in Government periodic reports).
    """
    match = MONTH.match(label or "")
    if not match:
        raise ValueError(f"period must look like 2025-05, not {label!r}")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month}")
    return _span(year, month, month, start_day)


def parse_label(
    label: str, *, reporting_15th: bool = False
) -> tuple[str, str, datetime.date, datetime.date]:
    """(normalised label, kind, start, end) for "2025-05", "2025-Q2" or "2025".

    Raises ValueError on anything else.
    """
    text = (label or "").strip()
    start_day = REPORTING_START_DAY if reporting_15th else 1
    if match := MONTH.match(text):
        start, end = month_period(text, start_day)
        return text, "month", start, end
    if match := QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        start, end = _span(year, 3 * quarter - 2, 3 * quarter, start_day)
        return f"{year}-Q{quarter}", "quarter", start, end
    if match := YEAR.match(text):
        year = int(match[1])
        start, end = _span(year, 1, 12, start_day)
        return str(year), "year", start, end
    raise ValueError(f"period must look like 2025-05, 2025-Q2 or 2025, not {label!r}")


def current_month_label(today: datetime.date, *, reporting_15th: bool = False) -> str:
    """The month label whose period contains ``today``."""
    if reporting_15th and today.day >= REPORTING_START_DAY:
        # 15th–14th periods are named after the month they end in.
        return f"{today.year + (today.month == 12)}-{today.month % 12 + 1:02d}"
    return f"{today:%Y-%m}"


def previous_month_label(label: str) -> str:
    match = MONTH.match(label)
    if not match:
        raise ValueError(label)
    year, month = int(match[1]), int(match[2])
    return f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"


def containing_labels(today: datetime.date, *, reporting_15th: bool = False) -> dict[str, str]:
    """The month, quarter and year labels whose periods contain ``today``
    (15th–14th: named after the month they end in, like the month)."""
    month = current_month_label(today, reporting_15th=reporting_15th)
    year, number = int(month[:4]), int(month[5:7])
    return {"month": month, "quarter": f"{year}-Q{(number - 1) // 3 + 1}", "year": str(year)}


def previous_label(label: str) -> str:
    """The period before ``label``, of the same kind (month, quarter or year)."""
    if MONTH.match(label):
        return previous_month_label(label)
    if match := QUARTER.match(label):
        year, quarter = int(match[1]), int(match[2])
        return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    if YEAR.match(label):
        return str(int(label) - 1)
    raise ValueError(label)


def periods_per_year(kind: str) -> int:
    """Divisor of last year's volume for the 1.4 fallback (÷12 month, ÷4 quarter, ×1 year)."""
    return {"month": 12, "quarter": 4, "year": 1}.get(kind, 12)
